package org.intercomhub.sync;

class BookkeepingMigrationPostgresTest extends BookkeepingMigrationContract {
    BookkeepingMigrationPostgresTest() {
        super(Target.POSTGRES);
    }
}
