package org.intercomhub.sync;

class BookkeepingMigrationH2Test extends BookkeepingMigrationContract {
    BookkeepingMigrationH2Test() {
        super(Target.H2);
    }
}
