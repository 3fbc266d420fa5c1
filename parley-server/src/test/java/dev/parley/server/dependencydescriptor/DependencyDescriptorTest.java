package dev.parley.server.dependencydescriptor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency descriptor reader (AV1 RTP spec appendix A) against hand-built descriptors:
 * structures shaped like libwebrtc's L1T3 and L3T3_KEY, per-frame overrides, and malformed input,
 * which must never throw and counts as unreadable.
 */
class DependencyDescriptorTest {
    private final DependencyDescriptor dd = new DependencyDescriptor();

    private boolean parse(byte[] b) {
        return dd.parse(b, 0, b.length);
    }

    @Test
    void mandatoryFieldsWithoutAStructureAreUnreadable() {
        assertThat(parse(DescriptorWriter.mandatory(true, false, 1, 7))).isFalse();
        assertThat(dd.unreadable()).isEqualTo(1);
    }

    @Test
    void l1t3_theStructureGivesEachTemplateItsTemporalLayer() {
        var s = DescriptorWriter.l1t3();
        assertThat(parse(DescriptorWriter.withStructure(s, 0, true, 100))).isTrue();
        assertThat(dd.structureAttached()).isTrue();
        assertThat(dd.startOfFrame()).isTrue();
        assertThat(dd.endOfFrame()).isTrue();
        assertThat(dd.frameNumber()).isEqualTo(100);
        assertThat(dd.decodeTargets()).isEqualTo(3);
        assertThat(dd.activeTargets()).isEqualTo(0b111);
        assertThat(dd.chains()).isEqualTo(1);
        assertThat(dd.fdiffCount()).isZero();
        assertThat(dd.width()).isZero();                    // no resolutions sent
        int[] tids = {0, 0, 1, 2, 2};
        for (int t = 0; t < 5; t++) {
            assertThat(parse(DescriptorWriter.mandatory(true, false, t, 101 + t))).as("template %d", t).isTrue();
            assertThat(dd.structureAttached()).isFalse();
            assertThat(dd.spatialId()).isZero();
            assertThat(dd.temporalId()).isEqualTo(tids[t]);
            assertThat(dd.frameNumber()).isEqualTo(101 + t);
        }
        // template 3: T2, --D, fdiff 1, chain fdiff 1
        assertThat(parse(DescriptorWriter.mandatory(false, true, 3, 9))).isTrue();
        assertThat(dd.endOfFrame()).isTrue();
        assertThat(new int[]{dd.dti(0), dd.dti(1), dd.dti(2)}).containsExactly(0, 0, 1);
        assertThat(dd.fdiffCount()).isEqualTo(1);
        assertThat(dd.fdiff(0)).isEqualTo(1);
        assertThat(dd.chainFdiff(0)).isEqualTo(1);
        assertThat(dd.unreadable()).isZero();
    }

    @Test
    void l1t3_switchPointsAreTheFramesSwitchIndications() {
        assertThat(parse(DescriptorWriter.withStructure(DescriptorWriter.l1t3(), 0, true, 1))).isTrue();
        assertThat(dd.switchesTo(0, 2)).as("keyframe: S for every target").isTrue();
        assertThat(parse(DescriptorWriter.mandatory(true, true, 1, 5))).isTrue();
        assertThat(dd.switchesTo(0, 1)).as("T0: L1T2 can start here").isTrue();
        assertThat(parse(DescriptorWriter.mandatory(true, true, 2, 3))).isTrue();
        assertThat(dd.switchesTo(0, 1)).as("T1 is D for L1T2").isFalse();
        assertThat(dd.switchesTo(0, 2)).as("and S for L1T3").isTrue();
        assertThat(parse(DescriptorWriter.mandatory(true, true, 3, 4))).isTrue();
        assertThat(dd.switchesTo(0, 2)).isFalse();
        assertThat(dd.switchesTo(1, 0)).as("no such target").isFalse();
        assertThat(dd.switchesTo(9, 9)).isFalse();
    }

    @Test
    void l3t3Key_templateIdsAreOffsetAndGiveSpatialAndTemporalLayers() {
        var s = DescriptorWriter.l3t3Key();
        byte[] key = DescriptorWriter.withStructure(s, 0, false, 65535);
        assertThat(parse(key)).isTrue();
        assertThat(dd.maxSpatialId()).isEqualTo(2);
        assertThat(dd.decodeTargets()).isEqualTo(9);
        assertThat(dd.activeTargets()).isEqualTo(0x1FF);
        assertThat(dd.chains()).isEqualTo(3);
        assertThat(dd.protectedBy(4)).isEqualTo(1);
        assertThat(dd.width()).isEqualTo(320);
        assertThat(dd.height()).isEqualTo(180);
        for (int i = 0; i < 12; i++) {
            int id = (5 + i) % 64;                          // the structure's id offset is 5
            assertThat(parse(DescriptorWriter.mandatory(true, true, id, i))).isTrue();
            assertThat(dd.spatialId()).as("template %d", i).isEqualTo(i / 4);
            assertThat(dd.temporalId()).as("template %d", i).isEqualTo(Math.max(0, i % 4 - 1));
        }
        assertThat(parse(DescriptorWriter.mandatory(true, true, 5 + 8, 0))).isTrue();
        assertThat(dd.width()).isEqualTo(1280);
        assertThat(parse(DescriptorWriter.mandatory(true, true, 4, 0))).as("id below the offset: no template").isFalse();
        assertThat(parse(DescriptorWriter.mandatory(true, true, 5 + 12, 0))).as("past the last template").isFalse();
        assertThat(dd.unreadable()).isEqualTo(2);
    }

    @Test
    void l3t3Key_upperLayersOfTheKeyPictureAreSwitchPoints_laterT0FramesToo() {
        assertThat(parse(DescriptorWriter.withStructure(DescriptorWriter.l3t3Key(), 0, true, 0))).isTrue();
        assertThat(parse(DescriptorWriter.mandatory(true, true, 5 + 8, 2))).isTrue();   // S2 of the key picture
        assertThat(dd.switchesTo(2, 0)).isTrue();
        assertThat(parse(DescriptorWriter.mandatory(true, true, 5 + 6, 5))).isTrue();   // S1 T1
        assertThat(dd.switchesTo(1, 1)).isFalse();
        assertThat(dd.switchesTo(1, 2)).isTrue();
    }

    @Test
    void customDtisFdiffsChainsAndActiveTargetsOverrideTheTemplateForOneFrame() {
        assertThat(parse(DescriptorWriter.withStructure(DescriptorWriter.l1t3(), 0, true, 1))).isTrue();
        DescriptorWriter w = new DescriptorWriter().mandatoryFields(true, false, 1, 50);
        w.bits(0, 1).bits(1, 1).bits(1, 1).bits(1, 1).bits(1, 1);    // active targets, custom dtis, fdiffs, chains
        w.bits(0b011, 3);                                            // active: L1T1, L1T2
        w.bits(3, 2).bits(2, 2).bits(0, 2);                          // dtis R S -
        w.bits(1, 2).bits(6, 4);                                     // fdiff 7 (4 bits)
        w.bits(3, 2).bits(299, 12);                                  // fdiff 300 (12 bits)
        w.bits(0, 2);                                                // no more
        w.bits(200, 8);                                              // chain fdiff 200
        assertThat(parse(w.bytes())).isTrue();
        assertThat(dd.activeTargetsPresent()).isTrue();
        assertThat(dd.activeTargets()).isEqualTo(0b011);
        assertThat(new int[]{dd.dti(0), dd.dti(1), dd.dti(2)}).containsExactly(3, 2, 0);
        assertThat(dd.fdiffCount()).isEqualTo(2);
        assertThat(new int[]{dd.fdiff(0), dd.fdiff(1)}).containsExactly(7, 300);
        assertThat(dd.chainFdiff(0)).isEqualTo(200);
        // the next frame is back to its template; the active targets stay as signalled
        assertThat(parse(DescriptorWriter.mandatory(true, false, 1, 51))).isTrue();
        assertThat(dd.fdiff(0)).isEqualTo(4);
        assertThat(dd.chainFdiff(0)).isEqualTo(4);
        assertThat(dd.activeTargetsPresent()).isFalse();
        assertThat(dd.activeTargets()).isEqualTo(0b011);
    }

    @Test
    void everyTruncationOfAStructureIsUnreadableAndKeepsThePreviousStructure() {
        assertThat(parse(DescriptorWriter.withStructure(DescriptorWriter.l1t3(), 0, true, 1))).isTrue();
        byte[] full = DescriptorWriter.withStructure(DescriptorWriter.l3t3Key(), 0, true, 2);
        for (int len = 0; len < full.length - 1; len++) {
            // the last byte holds only resolution bits and padding: every shorter cut loses a field
            assertThat(dd.parse(full, 0, len)).as("cut at %d of %d", len, full.length).isFalse();
        }
        assertThat(parse(DescriptorWriter.mandatory(true, true, 3, 3))).isTrue();
        assertThat(dd.temporalId()).as("L1T3 still in force").isEqualTo(2);
        assertThat(dd.unreadable()).isEqualTo(full.length - 1);
    }

    @Test
    void randomBytesNeverThrow() {
        var random = new java.util.Random(14);
        assertThat(parse(DescriptorWriter.withStructure(DescriptorWriter.l3t3Key(), 0, true, 1))).isTrue();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(40)];
            random.nextBytes(b);
            dd.parse(b, 0, b.length);
            if (b.length > 0) {
                dd.parse(b, b.length - 1, 5);               // out of bounds: unreadable, not thrown
            }
        }
        assertThat(dd.unreadable()).isPositive();
    }

    @Test
    void tooManyTemplatesOrLayersAreMalformed() {
        DescriptorWriter w = new DescriptorWriter().mandatoryFields(true, true, 0, 1);
        w.bits(1, 1).bits(0, 4);
        w.bits(0, 6).bits(0, 5);
        for (int i = 0; i < 4; i++) {
            w.bits(2, 2);                                    // a fifth spatial layer
        }
        w.bits(3, 2);
        byte[] b = Arrays.copyOf(w.bytes(), 20);
        assertThat(parse(b)).isFalse();
        w = new DescriptorWriter().mandatoryFields(true, true, 0, 1);
        w.bits(1, 1).bits(0, 4);
        w.bits(0, 6).bits(0, 5);
        for (int i = 0; i < 64; i++) {
            w.bits(0, 2);                                    // 65 templates
        }
        w.bits(3, 2);
        b = Arrays.copyOf(w.bytes(), 60);
        assertThat(parse(b)).isFalse();
        assertThat(dd.unreadable()).isEqualTo(2);
    }
}
