package org.intercomhub.sandbox;

/** Word lists the generators draw names and attribute values from. */
final class SampleWords {

    private SampleWords() {
    }

    static final String[] FIRST_NAMES = {
        "Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Ken", "Frances", "Dennis", "Radia",
        "Edsger", "Hedy", "Tim", "Katherine", "Guido", "Anita", "James", "Sophie", "Niklaus", "Lovelace",
        "Zoë", "José", "Chloé", "Björn", "Ngozi", "Hiroshi", "Priya", "Mateus", "Olga", "Yusuf"};

    static final String[] LAST_NAMES = {
        "Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Liskov", "Thompson", "Allen", "Ritchie",
        "Perlman", "Dijkstra", "Lamarr", "Berners-Lee", "Johnson", "van Rossum", "Borg", "Gosling", "Wilson",
        "Wirth", "O'Brien", "Müller", "García", "Okafor", "Tanaka", "Sharma", "Silva", "Ivanova", "Demir"};

    static final String[] COMPANY_WORDS = {
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne",
        "Soylent", "Wonka", "Gringotts", "Monarch", "Aperture", "Black Mesa", "Oscorp", "Massive Dynamic",
        "Pied Piper", "Dunder Mifflin"};

    static final String[] COMPANY_SUFFIXES = {"Inc", "LLC", "GmbH", "Ltd", "SA", "Labs", "Group", "& Co"};

    static final String[] INDUSTRIES = {
        "Software", "Retail", "Healthcare", "Finance", "Education", "Manufacturing", "Media", "Logistics"};

    static final String[] PLANS = {"free", "starter", "pro", "enterprise"};

    static final String[] BROWSERS = {"chrome", "firefox", "safari", "edge"};

    static final String[] OSES = {"Windows 11", "OS X 14.2", "Linux", "iOS 17.1", "Android 14"};

    static final String[] LANGUAGES = {"en", "en-GB", "fr", "de", "es", "pt-BR", "ja"};

    /** country, region, city, country code, continent code. */
    static final String[][] LOCATIONS = {
        {"United States", "New York", "New York", "USA", "NA"},
        {"United States", "California", "San Francisco", "USA", "NA"},
        {"Ireland", "Dublin", "Dublin", "IRL", "EU"},
        {"Germany", "Berlin", "Berlin", "DEU", "EU"},
        {"Brazil", "São Paulo", "São Paulo", "BRA", "SA"},
        {"Japan", "Tokyo", "Tokyo", "JPN", "AS"},
        {"Australia", "New South Wales", "Sydney", "AUS", "OC"}};

    static final String[] TAG_NAMES = {
        "vip", "beta", "churn-risk", "enterprise", "trial", "partner", "newsletter", "bug-reporter", "champion",
        "onboarding", "upsell", "renewal", "feedback", "early-adopter", "inactive"};

    static final String[] MESSAGES = {
        "Hi, I can't log in since this morning.",
        "How do I export my data to CSV?",
        "Thanks, that fixed it!",
        "Could you check the invoice for last month?",
        "The mobile app crashes when I open settings.",
        "We'd like to add five more seats.",
        "Is there an API for this?",
        "Following up on my previous message.",
        "<b>Urgent</b>: our integration stopped syncing & we need help.",
        "Merci beaucoup, ça marche maintenant."};

    static final String[] TICKET_TITLES = {
        "Login fails with SSO", "Export times out", "Wrong invoice amount", "Crash on settings screen",
        "Webhook deliveries delayed", "Feature request: dark mode"};
}
