/* sys.h - the machine: a monotonic clock, the number of cores, and the
 * request to stop. */
#ifndef GALLEY_SYS_H
#define GALLEY_SYS_H

/* Seconds on a monotonic clock (only differences mean anything). */
double gl_now(void);
/* Online cores: the worker count for threads = 0. */
unsigned gl_cpu_count(void);

/* A request to stop the run (SIGINT, SIGTERM, or a failed output): set
 * from a signal handler or a thread, read by the reader and the streams
 * (a read interrupted by a signal gives up when it is set). */
void gl_stop_request(int signo);
/* The signal that asked to stop, -1 when an output failed, 0 when none. */
int gl_stop_requested(void);
void gl_stop_clear(void);

#endif
