package dev.parley.client;

import dev.parley.client.examples.ChatBot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat-bot example against the real Parley server. */
class ChatBotTest {
    private ParleyTestServer server;
    private ChatBot bot;
    private ServerConnection user;
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = ParleyTestServer.start("test", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
        bot = ChatBot.start(server.ws(), "test", "bot", "pw");
        user = new ServerConnection();
        user.onchat((id, source, dest, username, time, privileged, history, kind, message) -> {
            if ("bot".equals(username)) {
                heard.add((dest == null ? "all" : "private") + " " + message);
            }
        });
        user.connect(server.ws()).get(10, TimeUnit.SECONDS);
        user.join("test", "carrot", "pw").get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        user.close();
        bot.close();
        server.close();
    }

    private String reply() throws InterruptedException {
        String r = heard.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("the bot answered").isNotNull();
        return r;
    }

    @Test
    void answersBroadcastCommandsToEveryone() throws Exception {
        user.chat("", "", "!ping");
        assertThat(reply()).isEqualTo("all pong");
        user.chat("", "", "!users");
        assertThat(reply()).isEqualTo("all bot, carrot");
        user.chat("", "", "!nonsense");
        assertThat(reply()).isEqualTo("all unknown command !nonsense; try !help");
    }

    @Test
    void answersPrivateCommandsPrivately() throws Exception {
        user.chat("", bot.connection().id(), "!ping");
        assertThat(reply()).isEqualTo("private pong");
    }

    @Test
    void ignoresOrdinaryChat() throws Exception {
        user.chat("", "", "hello bot");
        user.chat("", "", "!help");
        assertThat(reply()).isEqualTo("all commands: !ping, !users, !time, !help");
    }
}
