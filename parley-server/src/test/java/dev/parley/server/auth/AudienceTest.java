package dev.parley.server.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AudienceTest {

    @Test
    void D15_urlParts() {
        assertThat(Audience.Url.parse("https://galene.org:8443/group/auth/"))
                .isEqualTo(new Audience.Url("galene.org:8443", "/group/auth/"));
        assertThat(Audience.Url.parse("https://user:pw@h/group/a/?x=1#f")).isEqualTo(new Audience.Url("h", "/group/a/"));
        assertThat(Audience.Url.parse("http://[::1]:8443/group/a/")).isEqualTo(new Audience.Url("[::1]:8443", "/group/a/"));
        assertThat(Audience.Url.parse("/group/a/")).isEqualTo(new Audience.Url("", "/group/a/"));
        assertThat(Audience.Url.parse("https://h")).isEqualTo(new Audience.Url("h", ""));
        assertThat(Audience.Url.parse("https://h/group/my%20group/")).isEqualTo(new Audience.Url("h", "/group/my group/"));
        assertThat(Audience.Url.parse("https://h/group/my group/")).isEqualTo(new Audience.Url("h", "/group/my group/"));
        assertThat(Audience.Url.parse("https://h/group/caf%C3%A9/")).isEqualTo(new Audience.Url("h", "/group/café/"));
        assertThat(Audience.Url.parse("https://h/group/%zz/")).isNull();
        assertThat(Audience.Url.parse("https://h/group/a%2")).isNull();
        // Without a scheme and "//", the host is part of the path, which then cannot match.
        assertThat(Audience.Url.parse("galene.org/group/a/")).isEqualTo(new Audience.Url("", "galene.org/group/a/"));
    }

    @Test
    void D15_schemeIsIgnored() {
        for (String scheme : List.of("https", "http", "wss", "x-y+z")) {
            assertThat(Audience.matches(List.of(scheme + "://h/group/a/"), "a", false, "h")).as(scheme).isTrue();
        }
    }

    @Test
    void D15_hostComparedOnlyWhenCanonicalHostSet() {
        List<String> aud = List.of("https://Galene.ORG/group/a/");
        assertThat(Audience.matches(aud, "a", false, "galene.org")).isTrue();
        assertThat(Audience.matches(aud, "a", false, "other.org")).isFalse();
        assertThat(Audience.matches(aud, "a", false, null)).isTrue();
        assertThat(Audience.matches(aud, "a", false, "")).isTrue();
        assertThat(Audience.matches(List.of("/group/a/"), "a", false, "galene.org")).isFalse();
    }

    @Test
    void D15_paths() {
        assertThat(Audience.pathMatches("/group/a/", "a", false)).isTrue();
        assertThat(Audience.pathMatches("/group/a", "a", false)).isFalse();
        assertThat(Audience.pathMatches("/group/a/", "a/b", false)).isFalse();
        assertThat(Audience.pathMatches("/group/a/", "a/b", true)).isTrue();
        assertThat(Audience.pathMatches("/group/a/", "ab", true)).isFalse();
        assertThat(Audience.pathMatches("/group/", "x/y", true)).isTrue();
        assertThat(Audience.pathMatches("/group/a/b/", "a", true)).isFalse();
        assertThat(Audience.pathMatches("/grou", "a", true)).isFalse();
        assertThat(Audience.pathMatches("/group/a", "ab", true)).isFalse();
        assertThat(Audience.matches(List.of(), "a", true, null)).isFalse();
        assertThat(Audience.matches(null, "a", true, null)).isFalse();
    }
}
