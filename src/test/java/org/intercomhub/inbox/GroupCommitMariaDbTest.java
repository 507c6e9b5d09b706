package org.intercomhub.inbox;

class GroupCommitMariaDbTest extends GroupCommitContract {
    GroupCommitMariaDbTest() {
        super(Target.MARIADB);
    }
}
