package org.intercomhub.inbox;

class GroupCommitH2Test extends GroupCommitContract {
    GroupCommitH2Test() {
        super(Target.H2);
    }
}
