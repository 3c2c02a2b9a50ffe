/* galley/text.h - text utilities shared by all stages: UTF-8, Unicode
 * classes and normalization (utf8proc), tokens, sentences, paragraphs.
 *
 * All offsets are byte offsets. Functions that allocate take an arena. */
#ifndef GALLEY_TEXT_H
#define GALLEY_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <galley/arena.h>
#include <galley/doc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- UTF-8 ------------------------------------------------------------ */

/* Decodes the code point at s[0..len). Returns the number of bytes used
 * (1-4) and sets *cp; an invalid or truncated sequence gives U+FFFD and
 * consumes 1 byte. len must be > 0. */
size_t galley_utf8_decode(const char *s, size_t len, int32_t *cp);
/* Writes cp as UTF-8 into out (room for 4 bytes); returns the length. */
size_t galley_utf8_encode(int32_t cp, char *out);
/* Non-zero when s[0..len) is valid UTF-8 (no surrogates, no overlongs). */
int galley_utf8_valid(const char *s, size_t len);
/* A copy of s with each invalid sequence replaced by U+FFFD, NUL bytes
 * included. Returns the copy (in `a`), its length in *out_len, and the
 * number of replacements in *repaired. */
char *galley_utf8_repair(galley_arena *a, const char *s, size_t len, size_t *out_len,
                         size_t *repaired);
/* Number of code points in s[0..len) (valid UTF-8 assumed). */
size_t galley_utf8_count(const char *s, size_t len);

/* ---- Unicode classes (utf8proc) -------------------------------------- */

int galley_cp_is_letter(int32_t cp);
int galley_cp_is_upper(int32_t cp);   /* Lu or Lt */
int galley_cp_is_lower(int32_t cp);   /* Ll */
int galley_cp_is_digit(int32_t cp);   /* Nd */
int galley_cp_is_space(int32_t cp);   /* White_Space incl. NBSP, not Cf */
int galley_cp_is_punct(int32_t cp);   /* P* */
int galley_cp_is_format(int32_t cp);  /* Cf (zero-width, bidi, soft hyphen) */
int galley_cp_is_control(int32_t cp); /* Cc other than \t \n \r */
int32_t galley_cp_tolower(int32_t cp);
int32_t galley_cp_toupper(int32_t cp);

typedef enum galley_nf { GALLEY_NFC = 0, GALLEY_NFKC } galley_nf;
/* Unicode normalization of valid UTF-8 into the arena. Returns NULL only
 * on invalid input. */
char *galley_normalize(galley_arena *a, const char *s, size_t len, galley_nf form, size_t *out_len);
/* Lower-cased (case-folded) copy, for dictionary keys and comparisons. */
char *galley_casefold(galley_arena *a, const char *s, size_t len, size_t *out_len);

/* ---- Tokens ----------------------------------------------------------- */

typedef enum galley_token_kind {
    GALLEY_TOK_WORD = 0, /* letters, digits, inner ' ’ - . (U.S., don't) */
    GALLEY_TOK_NUMBER,   /* digits with inner , . : (1,200  3.5  10:30) */
    GALLEY_TOK_PUNCT,    /* one punctuation or symbol character */
} galley_token_kind;

/* Shape flags of a token, computed once by the tokenizer. */
enum {
    GALLEY_TF_UPPER_INITIAL = 1 << 0, /* first letter upper case */
    GALLEY_TF_ALL_UPPER = 1 << 1,     /* >= 1 letter, no lower-case letter */
    GALLEY_TF_HAS_DIGIT = 1 << 2,
    GALLEY_TF_SENT_START = 1 << 3,     /* first token of a sentence */
    GALLEY_TF_PARA_START = 1 << 4,     /* first token of a paragraph */
    GALLEY_TF_SPACE_BEFORE = 1 << 5,   /* whitespace precedes it */
    GALLEY_TF_NEWLINE_BEFORE = 1 << 6, /* a line break precedes it */
    GALLEY_TF_QUOTE = 1 << 7,          /* a quotation mark or apostrophe */
};

typedef struct galley_token {
    uint32_t start; /* byte offsets into the text */
    uint32_t end;
    uint16_t kind;     /* galley_token_kind */
    uint16_t flags;    /* GALLEY_TF_* */
    uint32_t sentence; /* index of its sentence */
} galley_token;

typedef struct galley_sentence {
    uint32_t start, end; /* byte range, trimmed of space */
    uint32_t first_token, ntokens;
    uint32_t paragraph; /* index of its paragraph */
} galley_sentence;

typedef struct galley_paragraph {
    uint32_t start, end; /* byte range, trimmed of space */
    uint32_t first_sentence, nsentences;
} galley_paragraph;

/* Tokenizes s[0..len) into an arena array; *n gets the count. Possessive
 * endings ('s ’s) are split off as their own WORD token. */
galley_token *galley_tokenize(galley_arena *a, const char *s, size_t len, size_t *n);

/* Splits into sentences using the tokens (abbreviations such as "Mr.",
 * "U.S.", "Sept." and initials do not end a sentence; a closing quote
 * after the full stop belongs to the sentence; a line break ends a
 * paragraph and so a sentence). Sets each token's `sentence` and the
 * SENT_START / PARA_START flags. */
galley_sentence *galley_split_sentences(galley_arena *a, const char *s, size_t len,
                                        galley_token *tok, size_t ntok, size_t *n);

/* Paragraphs: text between line breaks (blank lines or single newlines
 * both separate paragraphs in news text). */
galley_paragraph *galley_split_paragraphs(galley_arena *a, const char *s, size_t len, size_t *n);

/* The document's tokens, sentences and paragraphs, computed once and
 * cached until the text changes. Stages should use these. */
const galley_token *galley_doc_tokens(galley_doc *doc, size_t *n);
const galley_sentence *galley_doc_sentences(galley_doc *doc, size_t *n);
const galley_paragraph *galley_doc_paragraphs(galley_doc *doc, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
