/* chars.c - character classes, the scan, and the character clean-up. */
#include <string.h>
#include "chars.h"

/* Quotation mark variants and their consistent forms. */
static int32_t map_quote(int32_t cp, int straighten)
{
    switch (cp) {
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0x301D: /* „ ‟ ″ 〝 */
        cp = cp == 0x2033 ? 0x201D : 0x201C;
        break;
    case 0x2039:
        cp = 0x2018;
        break; /* ‹ */
    case 0x203A:
        cp = 0x2019;
        break; /* › */
    case 0x201A:
    case 0x201B:
        cp = 0x2018;
        break; /* ‚ ‛ */
    case 0x301E:
    case 0x301F:
        cp = 0x201D;
        break;
    case 0xFF02:
        cp = '"';
        break;
    default:
        break;
    }
    if (straighten) {
        if (cp == 0x201C || cp == 0x201D || cp == 0xAB || cp == 0xBB)
            return '"';
        if (cp == 0x2018 || cp == 0x2019)
            return '\'';
    }
    return cp;
}

/* What normalize_clean_chars makes of cp: cp itself, another code point, or -1
 * (removed). \r is handled by the caller (it depends on the next byte). */
static int32_t clean_to(int32_t cp, int straighten)
{
    if (cp == '\n')
        return cp;
    if (cp == '\t' || galley_cp_is_space(cp))
        return ' ';
    if (galley_cp_is_format(cp) || galley_cp_is_control(cp) || cp == 0x7F)
        return -1;
    return map_quote(cp, straighten);
}

/* Ranges where NFC may change something: combining marks, scripts with
 * composition, Hangul, the singletons that NFC replaces. Everything else
 * (Latin letters with their accents precomposed, punctuation, CJK) is
 * already in NFC. A superset is harmless: NFC then changes nothing. */
static const struct {
    int32_t lo, hi;
} nfc_ranges[] = {
    { 0x0300, 0x036F }, { 0x0340, 0x0344 }, { 0x0374, 0x0374 },   { 0x037E, 0x037E },
    { 0x0387, 0x0387 }, { 0x0483, 0x0489 }, { 0x0591, 0x05C7 },   { 0x0610, 0x065F },
    { 0x0900, 0x0DFF }, { 0x1100, 0x11FF }, { 0x1AB0, 0x1AFF },   { 0x1DC0, 0x1DFF },
    { 0x1F00, 0x1FFF }, { 0x20D0, 0x20FF }, { 0x2126, 0x2126 },   { 0x212A, 0x212B },
    { 0x2329, 0x232A }, { 0x3099, 0x309A }, { 0xAC00, 0xD7AF },   { 0xF900, 0xFAFF },
    { 0xFB1D, 0xFB4F }, { 0xFE20, 0xFE2F }, { 0x1D15E, 0x1D1C0 }, { 0x2F800, 0x2FA1F },
};

/* Could NFC change cp, alone or with a neighbour? A cheap superset: the
 * ranges above, and below U+2000 whatever is not a letter, digit,
 * punctuation or space; nothing below U+0300. */
static int may_change_under_nfc(int32_t cp)
{
    if (cp < 0x300)
        return 0;
    for (size_t i = 0; i < sizeof nfc_ranges / sizeof *nfc_ranges; i++)
        if (cp >= nfc_ranges[i].lo && cp <= nfc_ranges[i].hi)
            return 1;
    /* Other marks and symbols below U+2000 (Thaana, Syriac, ... marks). */
    return cp < 0x2000 && !galley_cp_is_letter(cp) && !galley_cp_is_digit(cp) &&
        !galley_cp_is_punct(cp) && !galley_cp_is_space(cp);
}

/* NFKC also changes characters that have a compatibility mapping
 * (ﬁ, ①, full-width letters): those change on their own. */
static int changes_alone(int32_t cp, galley_nf form, galley_arena *scratch)
{
    if (form != GALLEY_NFKC || cp < 0xA0)
        return 0;
    char s[4];
    size_t n = galley_utf8_encode(cp, s), m;
    galley_arena_reset(scratch);
    const char *t = galley_normalize(scratch, s, n, form, &m);
    return t && (m != n || memcmp(s, t, n) != 0);
}

/* The NORMALIZE_NEED_CHARS and NORMALIZE_NEED_NFC bits of cp under the
 * table's options, for normalize_chars_init. `scratch` is reset on each
 * call (by changes_alone). */
static uint8_t class_of(const normalize_chars *ch, int32_t cp, galley_arena *scratch)
{
    uint8_t c = 0;
    if (clean_to(cp, ch->straighten) != cp)
        c |= NORMALIZE_NEED_CHARS;
    if (may_change_under_nfc(cp) || changes_alone(cp, ch->form, scratch))
        c |= NORMALIZE_NEED_NFC;
    return c;
}

void normalize_chars_init(normalize_chars *ch, int straighten, galley_nf form)
{
    ch->straighten = straighten;
    ch->form = form;
    galley_arena *scratch = galley_arena_new(0);
    for (int32_t cp = 0; cp < 0x10000; cp++)
        ch->bmp[cp] = cp >= 0xD800 && cp <= 0xDFFF ? 0 : class_of(ch, cp, scratch);
    galley_arena_free(scratch);
    ch->bmp['\r'] = NORMALIZE_NEED_CHARS;
    ch->bmp['&'] = NORMALIZE_NEED_ENTITIES;
    ch->bmp['<'] = NORMALIZE_NEED_TAGS;
}

/* The class of cp for the scan: the table's in the BMP; above it, always
 * NORMALIZE_NEED_NFC and nothing else. */
static unsigned cp_class(const normalize_chars *ch, int32_t cp)
{
    /* Above the BMP (emoji, historic scripts, mathematical letters):
     * nothing to clean up, and the word goes through the normal form,
     * which is right whatever the character is. */
    return cp < 0x10000 ? ch->bmp[cp] : NORMALIZE_NEED_NFC;
}

/* Eight bytes at a time (SWAR): BYTES(b) is b in every byte of a word. */
#define BYTES(b) (0x0101010101010101ULL * (b))
/* 0x80 in each byte of v that is zero, and 0 elsewhere: exact for every
 * byte (no carry crosses a byte), not only the first zero one. */
static uint64_t zero_bytes(uint64_t v)
{
    uint64_t t = (v & BYTES(0x7F)) + BYTES(0x7F);
    return ~(t | v | BYTES(0x7F));
}

unsigned normalize_scan(const normalize_chars *ch, const char *s, size_t len)
{
    unsigned need = 0;
    /* Layout: a space next to a space or a line break, or three line
     * breaks in a row; the text must not start or end with either. */
    unsigned char prev = '\n';
    int breaks = 2;
    size_t i = 0;
    while (i < len) {
        /* Plain ASCII words without control characters (line breaks
         * and DEL included) are checked whole: '&', '<', double spaces. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (((w | ~(w + BYTES(0x60))) & BYTES(0x80)) || zero_bytes(w ^ BYTES(0x7F)))
                break; /* a byte >= 0x80, < 0x20 or DEL */
            if (zero_bytes(w ^ BYTES('&')))
                need |= NORMALIZE_NEED_ENTITIES;
            if (zero_bytes(w ^ BYTES('<')))
                need |= NORMALIZE_NEED_TAGS;
            uint64_t sp = zero_bytes(w ^ BYTES(' '));
            if ((sp & (sp << 8)) || ((sp & 0x80) && (prev == ' ' || prev == '\n')))
                need |= NORMALIZE_NEED_LAYOUT;
            prev = (unsigned char)(w >> 56);
            breaks = 0;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            need |= ch->bmp[c];
            if (c == ' ') {
                if (prev == ' ' || prev == '\n')
                    need |= NORMALIZE_NEED_LAYOUT;
            } else if (c == '\n') {
                if (prev == ' ' || ++breaks >= 3)
                    need |= NORMALIZE_NEED_LAYOUT;
            }
            if (c != '\n')
                breaks = 0;
            prev = c;
            i++;
            continue;
        }
        int32_t cp;
        i += galley_utf8_decode(s + i, len - i, &cp);
        need |= cp_class(ch, cp);
        if (c == 0xC3)
            need |= NORMALIZE_NEED_MOJIBAKE;
        prev = 'x';
        breaks = 0;
    }
    if (prev == ' ' || (prev == '\n' && len > 0))
        need |= NORMALIZE_NEED_LAYOUT;
    return need;
}

size_t normalize_clean_chars(const normalize_chars *ch, const char *in, size_t len,
                             normalize_buf *out)
{
    size_t changed = 0, i = 0, copied = 0;
    while (i < len) {
        unsigned char c = (unsigned char)in[i];
        int32_t cp = c;
        size_t n = 1;
        if (c >= 0x80)
            n = galley_utf8_decode(in + i, len - i, &cp);
        if (!(cp_class(ch, cp) & NORMALIZE_NEED_CHARS)) {
            i += n;
            continue;
        }
        int32_t to;
        if (cp == '\r') /* \r\n and a lone \r end lines like \n */
            to = (i + 1 < len && in[i + 1] == '\n') ? -1 : '\n';
        else
            to = clean_to(cp, ch->straighten);
        normalize_buf_add(out, in + copied, i - copied);
        if (to >= 0)
            normalize_buf_addcp(out, to);
        i += n;
        copied = i;
        changed++;
    }
    if (changed)
        normalize_buf_add(out, in + copied, len - copied);
    return changed;
}

char *normalize_normalize(const normalize_chars *ch, galley_arena *a, const char *s, size_t len,
                          size_t *out_len)
{
    normalize_buf out;
    normalize_buf_init(&out, a, len);
    size_t copied = 0, i = 0;
    while (i < len) {
        /* The next word, and whether it needs the normal form. */
        size_t start = i;
        unsigned need = 0;
        while (i < len && s[i] != ' ' && s[i] != '\n') {
            if ((unsigned char)s[i] < 0x80) {
                i++;
                continue;
            }
            int32_t cp;
            i += galley_utf8_decode(s + i, len - i, &cp);
            need |= cp_class(ch, cp);
        }
        if (need & NORMALIZE_NEED_NFC) {
            size_t wl;
            char *w = galley_normalize(a, s + start, i - start, ch->form, &wl);
            if (w && (wl != i - start || memcmp(w, s + start, wl) != 0)) {
                normalize_buf_add(&out, s + copied, start - copied);
                normalize_buf_add(&out, w, wl);
                copied = i;
            }
        }
        while (i < len && (s[i] == ' ' || s[i] == '\n'))
            i++;
    }
    if (!out.data)
        return NULL;
    normalize_buf_add(&out, s + copied, len - copied);
    *out_len = out.len;
    return out.data;
}
