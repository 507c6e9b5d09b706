package org.intercomhub.inbox;

class GroupCommitPostgresTest extends GroupCommitContract {
    GroupCommitPostgresTest() {
        super(Target.POSTGRES);
    }
}
