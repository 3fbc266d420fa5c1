package dev.parley.server.web;

import dev.parley.server.cluster.ClusterFixture;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URI;
import java.util.List;

import static dev.parley.server.web.TestGroups.GUEST_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 with the built-in web client: two pages loaded from two different nodes meet on the
 * group's node (the page's .status names its WebSocket), the camera of one plays on the other,
 * and when the group's node stops, both pages reconnect by themselves to the node the group is
 * placed on next, and the camera plays again (the waits are GroupPageReconnectTest's).
 * Tagged "media": run inside the private namespace.
 */
@Tag("media")
class ClusterPageTest {
    @Test
    void pagesFromTwoNodesMeetOnTheGroupsNodeAndFollowTheGroupWhenThatNodeStops() throws Exception {
        Browsers.assumeAvailable();
        try (ClusterFixture f = ClusterFixture.start(3); Browsers browsers = new Browsers()) {
            TestGroups.write(new TestServer.Dirs(f.root.resolve("groups"), f.root.resolve("data")));
            // a signalling-only member keeps the group on its node while the browsers start
            ClusterFixture.Entered holder = f.enter(f.nodes.get(0), "holder", TestGroups.GROUP,
                    "\"username\":\"holder\",\"password\":\"" + GUEST_PASSWORD + "\"");
            ClusterFixture.Node owner = f.nodeAt(f.ownerUrl(TestGroups.GROUP));
            List<ClusterFixture.Node> entries = f.nodes.stream().filter(n -> n != owner).toList();
            URI page = URI.create("/group/" + TestGroups.GROUP + "/");

            GroupPage sender = new GroupPage(browsers.open()).open(URI.create(entries.get(0).url()).resolve(page))
                    .login(OP_USER, OP_PASSWORD);
            GroupPage receiver = new GroupPage(browsers.open()).open(URI.create(entries.get(1).url()).resolve(page))
                    .login("ridcully", GUEST_PASSWORD);
            sender.awaitUser("ridcully");
            assertThat(holder.port()).isEqualTo(owner.port());
            assertThat(owner.server().context().groups().getLoaded(TestGroups.GROUP).clientCount()).isEqualTo(3);
            sender.driver().findElement(By.id("presentbutton")).click();
            GroupPageReconnectTest.awaitFramesAdvancing(receiver.driver());

            GroupPageTestBase.js(sender.driver(), GroupPageReconnectTest.WATCH_BANNER);
            GroupPageTestBase.js(receiver.driver(), GroupPageReconnectTest.WATCH_BANNER);
            long stopped = System.nanoTime();
            f.stop(owner);
            holder.close();
            GroupPageReconnectTest.awaitBackInGroup(sender, "ridcully");
            GroupPageReconnectTest.awaitBackInGroup(receiver, OP_USER);
            long back = System.nanoTime();
            ClusterFixture.Node next = f.nodeAt(f.ownerUrl(TestGroups.GROUP));
            assertThat(next.server().context().groups().getLoaded(TestGroups.GROUP).clientCount()).isEqualTo(2);
            GroupPageReconnectTest.awaitFramesAdvancing(receiver.driver());
            System.out.printf("cluster: group's node stopped -> both pages back in the group on another node after %d ms,"
                    + " camera playing again after %d ms%n", (back - stopped) / 1_000_000, (System.nanoTime() - stopped) / 1_000_000);
            Browsers.screenshot(receiver.driver(), "cluster-reconnected-receiver");
        }
    }
}
