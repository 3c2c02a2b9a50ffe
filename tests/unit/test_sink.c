/* test_sink.c - unit tests of io/sink.c: shard names and sharded
 * writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "config/options.h"
#include "io/sink.h"
#include "tap_check.h"

START_TEST(shard_names_number_before_the_first_dot)
{
    char out[256];
    gl_numbered_path("out.jsonl.gz", 3, out, sizeof out);
    ck_assert_str_eq(out, "out-00003.jsonl.gz");
    gl_numbered_path("runs/v1.2/out.jsonl", 12, out, sizeof out);
    ck_assert_str_eq(out, "runs/v1.2/out-00012.jsonl");
    gl_numbered_path("plain", 0, out, sizeof out);
    ck_assert_str_eq(out, "plain-00000");
    gl_numbered_path("d/.hidden", 1, out, sizeof out);
    ck_assert_str_eq(out, "d/-00001.hidden");
}
END_TEST

/* The contents of a file (static buffer). */
static const char *slurp(const char *path)
{
    static char buf[1024];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

START_TEST(run_shards_are_named_before_the_first_dot)
{
    char out[256];
    galley_shard_path("out/news.jsonl.gz", 2, 7, out, sizeof out);
    ck_assert_str_eq(out, "out/news.shard-00002-of-00007.jsonl.gz");
    galley_shard_path("sigs", 0, 3, out, sizeof out);
    ck_assert_str_eq(out, "sigs.shard-00000-of-00003");
    /* Numbered files of a shard: the number goes first. */
    char numbered[300];
    gl_numbered_path(out, 4, numbered, sizeof numbered);
    ck_assert_str_eq(numbered, "sigs-00004.shard-00000-of-00003");
}
END_TEST

START_TEST(shards_split_between_documents)
{
    char dir[] = "/tmp/galley-sink-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.jsonl", dir);
    galley_arena *a = galley_arena_new(0);
    gl_output_opts o;
    galley_error err = { 0 };
    for (size_t t = 0; gl_output_tables[t]; t++)
        gl_options_defaults(gl_output_tables[t], &o, a, &err);
    o.path = path;
    o.shard_size = 2;
    gl_sink *s = gl_sink_open(&o, path, &err);
    ck_assert_ptr_nonnull(s);
    const char data[] = "a\nb\nc\nd\ne\n";
    size_t ends[] = { 2, 4, 6, 8, 10 };
    ck_assert_int_eq(gl_sink_write(s, data, ends, 3, &err), 0);
    ck_assert_int_eq(gl_sink_write(s, data + 6, (size_t[]){ 2, 4 }, 2, &err), 0);
    ck_assert_int_eq(gl_sink_commit(s, &err), 0);
    char shard[300];
    gl_numbered_path(path, 0, shard, sizeof shard);
    ck_assert_str_eq(slurp(shard), "a\nb\n");
    gl_numbered_path(path, 1, shard, sizeof shard);
    ck_assert_str_eq(slurp(shard), "c\nd\n");
    gl_numbered_path(path, 2, shard, sizeof shard);
    ck_assert_str_eq(slurp(shard), "e\n");
    galley_arena_free(a);
}
END_TEST

START_TEST(sharding_standard_output_is_refused)
{
    galley_arena *a = galley_arena_new(0);
    gl_output_opts o;
    galley_error err = { 0 };
    for (size_t t = 0; gl_output_tables[t]; t++)
        gl_options_defaults(gl_output_tables[t], &o, a, &err);
    o.shard_size = 10;
    ck_assert_ptr_null(gl_sink_open(&o, "-", &err));
    ck_assert_msg(strstr(err.message, "needs an output file"), "%s", err.message);
    galley_arena_free(a);
}
END_TEST

GALLEY_TEST_MAIN("sink", shard_names_number_before_the_first_dot,
                 run_shards_are_named_before_the_first_dot, shards_split_between_documents,
                 sharding_standard_output_is_refused)
