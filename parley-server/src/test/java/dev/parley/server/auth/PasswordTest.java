package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordTest {

    private static JsonNode json(String text) throws Exception {
        return Json.parse(text);
    }

    @Test
    void D2_plainStringComparesExactly() throws Exception {
        Password p = Password.parse(json("\"secret\""));
        assertThat(p).isInstanceOf(Password.Plain.class);
        assertThat(p.matches("secret")).isTrue();
        assertThat(p.matches("Secret")).isFalse();
        assertThat(p.matches("secre")).isFalse();
        assertThat(p.matches("")).isFalse();
        assertThat(p.matches(null)).isFalse();
    }

    @Test
    void D2_plainObjectUsesKey() throws Exception {
        Password p = Password.parse(json("{\"type\":\"plain\",\"key\":\"k\"}"));
        assertThat(p.matches("k")).isTrue();
        assertThat(p.matches("x")).isFalse();
    }

    @Test
    void D2_emptyPlainMatchesOnlyEmpty() throws Exception {
        Password p = Password.parse(json("\"\""));
        assertThat(p.matches("")).isTrue();
        assertThat(p.matches("a")).isFalse();
    }

    @Test
    void D2_wildcardMatchesAnything() throws Exception {
        Password p = Password.parse(json("{\"type\":\"wildcard\"}"));
        assertThat(p.matches("anything")).isTrue();
        assertThat(p.matches("")).isTrue();
    }

    @Test
    void D2_missingOrEmptyTypeNeverMatches() throws Exception {
        for (String text : new String[] {"{\"key\":\"k\"}", "{\"type\":\"\",\"key\":\"k\"}", "null"}) {
            Password p = Password.parse(json(text));
            assertThat(p.matches("k")).as(text).isFalse();
            assertThat(p.matches("")).as(text).isFalse();
        }
        assertThat(Password.parse(null).matches("")).isFalse();
    }

    @Test
    void D3_pbkdf2Vector() throws Exception {
        Password p = Password.parse(json("""
                {"type":"pbkdf2","hash":"sha-256",
                 "key":"fe499504e8f144693fae828e8e371d50e019d0e4c84994fa03f7f445bd8a570a",
                 "salt":"bcc1717851030776","iterations":4096}"""));
        assertThat(p).isInstanceOf(Password.Pbkdf2.class);
        assertThat(p.matches("pass")).isTrue();
        assertThat(p.matches("pas")).isFalse();
        assertThat(p.matches("")).isFalse();
    }

    @Test
    void D3_keyLengthSetsDerivedLength() throws Exception {
        // The first 16 bytes of the D3 vector: a shorter stored key still matches its own prefix.
        Password p = Password.parse(json("""
                {"type":"pbkdf2","hash":"sha-256","key":"fe499504e8f144693fae828e8e371d50",
                 "salt":"bcc1717851030776","iterations":4096}"""));
        assertThat(p.matches("pass")).isTrue();
    }

    @Test
    void D3_toJsonRoundTrips() throws Exception {
        JsonNode node = json("""
                {"type":"pbkdf2","hash":"sha-256",
                 "key":"fe499504e8f144693fae828e8e371d50e019d0e4c84994fa03f7f445bd8a570a",
                 "salt":"bcc1717851030776","iterations":4096}""");
        assertThat(Password.parse(node).toJson()).isEqualTo(node);
        assertThat(Password.parse(Password.parse(node).toJson()).matches("pass")).isTrue();
    }

    @Test
    void D4_bcryptVector() throws Exception {
        Password p = Password.parse(json(
                "{\"type\":\"bcrypt\",\"key\":\"$2a$10$afOr2f33onT/nDFFyT3mbOq5FMSw1wWXfyTXQTBMbKvZpBkoD3Qwu\"}"));
        assertThat(p.matches("pass")).isTrue();
        assertThat(p.matches("pass2")).isFalse();
        Password b = Password.parse(json(
                "{\"type\":\"bcrypt\",\"key\":\"$2b$10$afOr2f33onT/nDFFyT3mbOq5FMSw1wWXfyTXQTBMbKvZpBkoD3Qwu\"}"));
        assertThat(b.matches("pass")).isTrue();
        assertThat(b.matches("Pass")).isFalse();
    }

    @Test
    void D4_serverHashesUseCost8And2a() throws Exception {
        Password p = Password.bcrypt("hunter2");
        JsonNode j = p.toJson();
        assertThat(j.get("type").asText()).isEqualTo("bcrypt");
        assertThat(j.get("key").asText()).startsWith("$2a$08$");
        Password back = Password.parse(j);
        assertThat(back.matches("hunter2")).isTrue();
        assertThat(back.matches("hunter3")).isFalse();
    }

    @Test
    void D5_malformedRecordsThrowOnMatch() throws Exception {
        String[] malformed = {
            "{\"type\":\"rot13\",\"key\":\"k\"}",
            "{\"type\":\"plain\"}",
            "{\"type\":\"bcrypt\"}",
            "{\"type\":\"pbkdf2\",\"hash\":\"sha-1\",\"key\":\"00\",\"salt\":\"00\",\"iterations\":1}",
            "{\"type\":\"pbkdf2\",\"hash\":\"sha-256\",\"salt\":\"00\",\"iterations\":1}",
            "{\"type\":\"pbkdf2\",\"hash\":\"sha-256\",\"key\":\"zz\",\"salt\":\"00\",\"iterations\":1}",
            "{\"type\":\"pbkdf2\",\"hash\":\"sha-256\",\"key\":\"00\",\"salt\":\"0\",\"iterations\":1}",
            "{\"type\":\"bcrypt\",\"key\":\"not a bcrypt hash\"}",
            "42",
        };
        for (String text : malformed) {
            Password p = Password.parse(json(text));
            assertThatThrownBy(() -> p.matches("k")).as(text).isInstanceOf(MalformedPasswordException.class);
        }
    }

    @Test
    void D5_malformedRecordIsWrittenBackVerbatim() throws Exception {
        JsonNode node = json("{\"type\":\"rot13\",\"key\":\"k\"}");
        assertThat(Password.parse(node).toJson()).isEqualTo(node);
    }

    @Test
    void plainToJsonIsAString() throws Exception {
        assertThat(Password.parse(json("\"x\"")).toJson()).isEqualTo(json("\"x\""));
        assertThat(Password.parse(json("{\"type\":\"wildcard\"}")).toJson())
                .isEqualTo(json("{\"type\":\"wildcard\"}"));
    }

    @Test
    void D3_missingIterationsMeansOne() throws Exception {
        String key = java.util.HexFormat.of().formatHex(
                Password.Pbkdf2.derive("pass", java.util.HexFormat.of().parseHex("00ff"), 1, 32));
        Password p = Password.parse(json(
                "{\"type\":\"pbkdf2\",\"hash\":\"sha-256\",\"key\":\"" + key + "\",\"salt\":\"00ff\"}"));
        assertThat(p.matches("pass")).isTrue();
        assertThat(p.matches("pass ")).isFalse();
    }

    @Test
    void H56_bcryptRefusesOverlongPasswords() {
        assertThatThrownBy(() -> Password.bcrypt("x".repeat(73))).isInstanceOf(IllegalArgumentException.class);
        // 72 bytes are fine, counted in UTF-8 (36 two-byte characters).
        assertThat(Password.bcrypt("é".repeat(36)).toJson().get("key").asText()).startsWith("$2a$08$");
        assertThatThrownBy(() -> Password.bcrypt("é".repeat(37))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void D6_hashingConcurrencyIsBoundedByCpus() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < cpus + 3; i++) {
            threads.add(Thread.ofVirtual().start(() -> HashingGate.run(() -> {
                peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
                return null;
            })));
        }
        // Wait until the gate is full; the extra callers must be queued, not inside.
        while (inside.get() < cpus) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertThat(inside.get()).isEqualTo(cpus);
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(peak.get()).isEqualTo(cpus);
    }
}
