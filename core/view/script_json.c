/* script_json.c - JSON for inside a <script> element (see script_json.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "view/script_json.h"

void gl_script_json_string(gl_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    gl_buf_reserve(b, len + 2);
    gl_buf_addc(b, '"');
    size_t run = 0; /* start of the bytes copied as they are */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        } else if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
            esc = (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
            gl_buf_add(b, s + run, i - run);
            gl_buf_adds(b, esc);
            i += 2;
            run = i + 1;
            continue;
        }
        if (esc) {
            gl_buf_add(b, s + run, i - run);
            gl_buf_adds(b, esc);
            run = i + 1;
        }
    }
    gl_buf_add(b, s + run, len - run);
    gl_buf_addc(b, '"');
}

void gl_script_json_string_or_null(gl_buf *b, const json_t *v)
{
    if (json_is_string(v))
        gl_script_json_string(b, json_string_value(v), json_string_length(v));
    else
        gl_buf_adds(b, "null");
}

void gl_script_json_value(gl_buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *member;
        int first = 1;
        gl_buf_addc(b, '{');
        json_object_foreach((json_t *)v, key, member)
        {
            if (!first)
                gl_buf_addc(b, ',');
            first = 0;
            gl_script_json_string(b, key, strlen(key));
            gl_buf_addc(b, ':');
            gl_script_json_value(b, member);
        }
        gl_buf_addc(b, '}');
        break;
    }
    case JSON_ARRAY:
        gl_buf_addc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                gl_buf_addc(b, ',');
            gl_script_json_value(b, json_array_get(v, i));
        }
        gl_buf_addc(b, ']');
        break;
    case JSON_STRING:
        gl_script_json_string(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        gl_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        gl_buf_printf(b, "%.17g", json_real_value(v));
        break;
    case JSON_TRUE:
        gl_buf_adds(b, "true");
        break;
    case JSON_FALSE:
        gl_buf_adds(b, "false");
        break;
    default:
        gl_buf_adds(b, "null");
        break;
    }
}
