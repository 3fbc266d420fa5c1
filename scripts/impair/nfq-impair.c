/*
 * nfq-impair: delay and drop the packets that an nftables rule sends to an NFQUEUE.
 *
 * Why this exists: tests need "5 % loss + 50 ms delay on one receiver's link", the job of
 * tc's netem qdisc, but some kernels (this project's CI machines among them) are built
 * without sch_netem. nf_tables and nfnetlink_queue are usually there, so the kernel's own
 * packet path still does the work: a rule queues the receiver's packets here, and this
 * program gives each its verdict later (delay) or drops it (loss). Packets keep their order:
 * each is held for the same time.
 *
 * usage: nfq-impair QUEUE_NUM DELAY_MS LOSS_PERCENT [SEED]
 *   Runs until killed; prints "ready" on stdout once bound, and on SIGTERM/SIGINT prints
 *   "packets N dropped D" before exiting.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HELD_MAX 65536

struct held { uint32_t id; int64_t due_ns; };

static struct held held[HELD_MAX];
static unsigned head, tail;               /* ring of packets waiting for their verdict */
static int64_t delay_ns;
static double loss;
static unsigned long long packets, dropped;
static volatile sig_atomic_t stopping;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
    (void) msg; (void) data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    if (ph == NULL) {
        return 0;
    }
    uint32_t id = ntohl(ph->packet_id);
    packets++;
    if (loss > 0 && drand48() * 100.0 < loss) {
        dropped++;
        return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
    }
    if (delay_ns == 0 || tail - head >= HELD_MAX) {
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    }
    held[tail % HELD_MAX] = (struct held) { id, now_ns() + delay_ns };
    tail++;
    return 0;
}

static void release_due(struct nfq_q_handle *qh) {
    int64_t now = now_ns();
    while (head != tail && held[head % HELD_MAX].due_ns <= now) {
        nfq_set_verdict(qh, held[head % HELD_MAX].id, NF_ACCEPT, 0, NULL);
        head++;
    }
}

static void on_signal(int sig) {
    (void) sig;
    stopping = 1;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s QUEUE_NUM DELAY_MS LOSS_PERCENT [SEED]\n", argv[0]);
        return 2;
    }
    int queue = atoi(argv[1]);
    delay_ns = (int64_t) atol(argv[2]) * 1000000LL;
    loss = atof(argv[3]);
    srand48(argc > 4 ? atol(argv[4]) : 1);

    struct nfq_handle *h = nfq_open();
    if (h == NULL) {
        perror("nfq_open");
        return 1;
    }
    struct nfq_q_handle *qh = nfq_create_queue(h, queue, on_packet, NULL);
    if (qh == NULL) {
        perror("nfq_create_queue");
        return 1;
    }
    nfq_set_mode(qh, NFQNL_COPY_META, 0);
    nfq_set_queue_maxlen(qh, HELD_MAX);
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    printf("ready\n");
    fflush(stdout);

    int fd = nfq_fd(h);
    char buf[65536];
    while (!stopping) {
        int timeout_ms = 1;
        if (head == tail) {
            timeout_ms = 100;
        }
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int n = poll(&p, 1, timeout_ms);
        while (n > 0) {                   /* drain what is queued before releasing */
            ssize_t len = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (len > 0) {
                nfq_handle_packet(h, buf, (int) len);
            } else {
                if (len < 0 && errno == ENOBUFS) {
                    fprintf(stderr, "nfq-impair: queue overrun, packets lost by the kernel\n");
                }
                break;
            }
        }
        release_due(qh);
    }
    while (head != tail) {                /* let nothing hang in the queue */
        nfq_set_verdict(qh, held[head % HELD_MAX].id, NF_ACCEPT, 0, NULL);
        head++;
    }
    printf("packets %llu dropped %llu\n", packets, dropped);
    fflush(stdout);
    nfq_destroy_queue(qh);
    nfq_close(h);
    return 0;
}
