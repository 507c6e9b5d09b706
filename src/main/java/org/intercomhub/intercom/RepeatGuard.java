package org.intercomhub.intercom;

/** Stops a listing whose server hands back the token it was just given, which would otherwise loop forever. */
final class RepeatGuard {

    private final String listing;
    private final String tokenName;

    RepeatGuard(String listing, String tokenName) {
        this.listing = listing;
        this.tokenName = tokenName;
    }

    /** @param sent the token of the request just made; @param returned the token the response says comes next */
    void check(String sent, String returned) {
        if (returned != null && returned.equals(sent)) {
            throw new IntercomPaginationException(listing + " returned the same " + tokenName + " twice ("
                    + abbreviate(returned) + "): stopping instead of looping");
        }
    }

    private static String abbreviate(String token) {
        return token.length() <= 40 ? token : token.substring(0, 37) + "...";
    }
}
