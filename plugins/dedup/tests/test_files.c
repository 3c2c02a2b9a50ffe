/* test_files.c - the dedup files on their own: the head records and
 * compares every option (and the galley version of sign and merged
 * files), the checksum is chained over blocks, a shard file reads back
 * what was written and refuses damage, a merged index finds documents by
 * their order, and the lock refuses a second holder in this process.
 * Built with DEDUP_GALLEY_VERSION "0.0-test", so that the real `galley
 * dedup merge` ($GALLEY) can be shown a shard index of another galley. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap_check.h"
#include "../global.h"
#include "../shard.h"

static const dedup_params P = { 5, 10, 7, 1, 0, 1, 80, 0.8, 0 };

/* A file path under /tmp named by this process and `stem`, with no file
 * there yet; the test removes the file when it is done. */
static void tmp_path(char *path, size_t size, const char *stem)
{
    snprintf(path, size, "/tmp/galley-files-%ld-%s.idx", (long)getpid(), stem);
    unlink(path);
}

START_TEST(shape_records_and_compares_every_option)
{
    dedup_shape a, b;
    dedup_shape_of(&P, DEDUP_FILE_SIGN, &a);
    ck_assert_str_eq(dedup_shape_get(&a, "paragraphs"), "true");
    ck_assert_str_eq(dedup_shape_get(&a, "min_paragraph"), "80");
    ck_assert_str_eq(dedup_shape_get(&a, "galley"), "0.0-test");
    dedup_params q;
    ck_assert_int_eq(dedup_params_of(&a, &q), 0);
    dedup_shape_of(&q, DEDUP_FILE_SIGN, &b);
    galley_error err = { 0 };
    ck_assert_int_eq(dedup_shape_compare(&a, &b, "x", NULL, &err), 0);
    q.min_paragraph = 40;
    dedup_shape_of(&q, DEDUP_FILE_SIGN, &b);
    ck_assert_int_eq(dedup_shape_compare(&a, &b, "index x", NULL, &err), -1);
    ck_assert_str_eq(err.message,
                     "index x was built with min_paragraph = 80, but this stage has "
                     "min_paragraph = 40: use the same options, or another index file");
    /* A single-run index does not record what only decides. */
    dedup_shape_of(&P, DEDUP_FILE_SINGLE, &a);
    ck_assert_ptr_null(dedup_shape_get(&a, "threshold"));
    ck_assert_ptr_null(dedup_shape_get(&a, "galley"));
}
END_TEST

START_TEST(checksum_is_chained_over_blocks)
{
    size_t n = 3 * DEDUP_SUM_BLOCK + 17;
    char *buf = calloc(1, n);
    uint64_t s = 0;
    for (size_t off = 0; off < n; off += DEDUP_SUM_BLOCK)
        s = galley_hash64(buf + off, n - off < DEDUP_SUM_BLOCK ? n - off : DEDUP_SUM_BLOCK, s);
    ck_assert(dedup_checksum(buf, n) == s);
    buf[n - 1] = 1;
    ck_assert(dedup_checksum(buf, n) != s);
    free(buf);
}
END_TEST

/* A signature of document i: distinct values, some paragraphs. */
static void fake_sig(dedup_sig *sig, dedup_para *paras, int i)
{
    memset(sig, 0, sizeof *sig);
    sig->exact = 1000 + (uint64_t)i;
    sig->has_shingles = i % 3 != 0;
    for (int h = 0; h < DEDUP_HASHES; h++)
        sig->mins[h] = (uint8_t)(i * 7 + h);
    sig->nparas = (size_t)(i % 4);
    sig->paras = paras;
    for (size_t k = 0; k < sig->nparas; k++)
        paras[k].hash = (uint64_t)i * 100 + k;
}

/* Writes shard `shard` of 2 with documents [from, to). */
static void write_shard(const char *path, unsigned shard, int from, int to)
{
    dedup_sign_writer w;
    galley_error err = { 0 };
    ck_assert_int_eq(dedup_sign_open(&w, path, &P, shard, 2, &err), 0);
    for (int i = from; i < to; i++) {
        dedup_sig sig;
        dedup_para paras[4];
        char id[32];
        snprintf(id, sizeof id, "doc-%d", i);
        fake_sig(&sig, paras, i);
        dedup_sign_add(&w, GALLEY_ORDER(i / 10, i % 10), id, &sig);
    }
    ck_assert_msg(dedup_sign_commit(&w, &err) == 0, "%s", err.message);
}

START_TEST(shard_file_reads_back_and_refuses_damage)
{
    char path[256];
    tmp_path(path, sizeof path, "shard");
    write_shard(path, 1, 0, 300);
    dedup_shard_file f;
    galley_error err = { 0 };
    ck_assert_msg(dedup_shard_open(&f, path, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(f.shard, 1);
    ck_assert_uint_eq(f.nshards, 2);
    for (int i = 0; i < 300; i++) {
        ck_assert_int_eq(dedup_shard_next(&f, &P, &err), 1);
        dedup_sig want;
        dedup_para paras[4];
        fake_sig(&want, paras, i);
        char id[32];
        snprintf(id, sizeof id, "doc-%d", i);
        ck_assert_str_eq(f.id, id);
        ck_assert(f.order == GALLEY_ORDER(i / 10, i % 10));
        ck_assert(f.sig.exact == want.exact);
        ck_assert_int_eq(f.sig.has_shingles, want.has_shingles);
        if (want.has_shingles) {
            ck_assert(memcmp(f.sig.mins, want.mins, DEDUP_HASHES) == 0);
            ck_assert(f.sig.bands[3] == dedup_band_key(&P, want.mins, 3));
        }
        ck_assert_uint_eq(f.sig.nparas, want.nparas);
        for (size_t k = 0; k < want.nparas; k++)
            ck_assert(f.sig.paras[k].hash == want.paras[k].hash);
    }
    ck_assert_int_eq(dedup_shard_next(&f, &P, &err), 0);
    dedup_shard_close(&f);
    FILE *fp = fopen(path, "r+b");
    fseek(fp, 900, SEEK_SET);
    fputc('#', fp);
    fclose(fp);
    ck_assert_int_eq(dedup_shard_open(&f, path, &err), -1);
    ck_assert_msg(strstr(err.message, "checksum mismatch"), "%s", err.message);
    dedup_shard_close(&f);
    unlink(path);
}
END_TEST

START_TEST(merged_index_finds_documents_by_order)
{
    char path[256];
    tmp_path(path, sizeof path, "global");
    dedup_index *ix = dedup_index_new(&P);
    dedup_global_writer g;
    galley_error err = { 0 };
    ck_assert_int_eq(dedup_global_open(&g, path, &P, 2, &err), 0);
    for (int i = 0; i < 50; i++) {
        dedup_sig sig;
        dedup_para paras[4];
        int64_t first[4];
        char id[32];
        snprintf(id, sizeof id, "doc-%d", i);
        fake_sig(&sig, paras, i % 20); /* from 20 on: exact copies */
        dedup_decision dec;
        dedup_decide(ix, &P, id, &sig, first, &dec);
        ck_assert_int_eq(
            dedup_global_add(&g, GALLEY_ORDER(1, 2 * i), sig.exact, &dec, first, sig.nparas, &err),
            0);
    }
    ck_assert_int_eq(dedup_global_commit(&g, ix, &err), 0);
    dedup_index_free(ix);
    dedup_global gl;
    dedup_shape want;
    dedup_shape_of(&P, DEDUP_FILE_MERGED, &want);
    ck_assert_msg(dedup_global_load(&gl, path, &want, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(gl.ndocs, 50);
    ck_assert_ptr_null(dedup_global_find(&gl, GALLEY_ORDER(1, 3))); /* between two */
    ck_assert_ptr_null(dedup_global_find(&gl, GALLEY_ORDER(0, 0)));
    const dedup_global_rec *r = dedup_global_find(&gl, GALLEY_ORDER(1, 2 * 25));
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->kind, DEDUP_EXACT);
    ck_assert_str_eq(dedup_global_id(&gl, r->of), "doc-5");
    ck_assert_int_eq(dedup_global_find(&gl, GALLEY_ORDER(1, 2 * 5))->kind, DEDUP_KEEP);
    dedup_global_close(&gl);
    /* Pass 2 with another action than the merge's is refused. */
    dedup_params other = P;
    other.action = 1;
    dedup_shape_of(&other, DEDUP_FILE_MERGED, &want);
    ck_assert_int_eq(dedup_global_load(&gl, path, &want, &err), -1);
    ck_assert_msg(strstr(err.message, "action = mark, but this stage has action = drop"), "%s",
                  err.message);
    dedup_global_close(&gl);
    unlink(path);
}
END_TEST

START_TEST(lock_refuses_a_second_holder_in_this_process)
{
    char path[256], lockfile[300];
    tmp_path(path, sizeof path, "locked");
    galley_error err = { 0 };
    int a = dedup_lock(path, 0, &err);
    ck_assert_int_ge(a, 0);
    ck_assert_int_eq(dedup_lock(path, 0, &err), -1);
    ck_assert_msg(strstr(err.message, "already used by another dedup stage"), "%s", err.message);
    dedup_unlock(a);
    int b = dedup_lock(path, 0, &err);
    ck_assert_int_ge(b, 0);
    dedup_unlock(b);
    snprintf(lockfile, sizeof lockfile, "%s.lock", path);
    unlink(lockfile);
}
END_TEST

/* The real merge refuses a shard index written by another galley. */
START_TEST(merge_refuses_another_galley_version)
{
    const char *galley = getenv("GALLEY");
    if (!galley)
        return;
    char a[256], b[256], out[256], cmd[1200], msg[256];
    tmp_path(a, sizeof a, "v0");
    tmp_path(b, sizeof b, "v1");
    tmp_path(out, sizeof out, "vout");
    write_shard(a, 0, 0, 10);
    write_shard(b, 1, 10, 20);
    snprintf(msg, sizeof msg, "/tmp/galley-files-%ld.msg", (long)getpid());
    snprintf(cmd, sizeof cmd, "'%s' dedup merge -o %s %s %s 2>%s", galley, out, a, b, msg);
    int st = system(cmd);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    char text[2048] = "";
    FILE *f = fopen(msg, "r");
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    ck_assert_msg(strstr(text, "was built by galley 0.0-test, but this is galley"), "%s", text);
    ck_assert_int_ne(access(out, F_OK), 0);
    unlink(a);
    unlink(b);
    unlink(msg);
}
END_TEST

GALLEY_TEST_MAIN("dedup files", shape_records_and_compares_every_option,
                 checksum_is_chained_over_blocks, shard_file_reads_back_and_refuses_damage,
                 merged_index_finds_documents_by_order,
                 lock_refuses_a_second_holder_in_this_process, merge_refuses_another_galley_version)
