package org.intercomhub.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The page test fails, never skips, on a machine without chromium, and says how to install it. */
class HeadlessChromiumTest {

    @Test
    void withoutChromiumOnThePathTheBrowserTestFailsSayingHowToInstallIt(@TempDir Path empty) {
        assertThatThrownBy(() -> HeadlessChromium.executable(empty.toString()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("chromium is not installed")
                .hasMessageContaining("apt-get install -y chromium");
    }

    @Test
    void chromiumIsFoundOnThePath(@TempDir Path bin) throws Exception {
        Path chromium = Files.createFile(bin.resolve("chromium"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(HeadlessChromium.executable("/nonexistent:" + bin)).isEqualTo(chromium);
    }
}
