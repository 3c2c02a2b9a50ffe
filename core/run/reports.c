/* reports.c - merging stage reports. */
#include "config.h"

#include "run/reports.h"

void gl_reports_merge(galley_object *into, const galley_object *from)
{
    for (size_t i = 0; i < galley_object_size(from); i++) {
        const char *key = galley_object_key_at(from, i);
        const galley_value *v = galley_object_value_at(from, i);
        const galley_value *have = galley_object_get(into, key);
        galley_type t = galley_value_type(v);
        if (!have)
            galley_object_set_value(into, key, v);
        else if (t == GALLEY_INT && galley_value_type(have) == GALLEY_INT)
            galley_object_set_int(into, key, galley_value_int(have) + galley_value_int(v));
        else if (t == GALLEY_REAL && galley_value_type(have) == GALLEY_REAL)
            galley_object_set_real(into, key, galley_value_real(have) + galley_value_real(v));
        else if (t == GALLEY_OBJECT && galley_value_type(have) == GALLEY_OBJECT)
            gl_reports_merge(galley_value_object(have), galley_value_object(v));
    }
}
