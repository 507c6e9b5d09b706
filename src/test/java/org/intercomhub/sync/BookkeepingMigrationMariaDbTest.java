package org.intercomhub.sync;

class BookkeepingMigrationMariaDbTest extends BookkeepingMigrationContract {
    BookkeepingMigrationMariaDbTest() {
        super(Target.MARIADB);
    }
}
