/* Shared by the probe_<family>.c programs: print key=value lines that StructProbe parses. */
#include <stddef.h>
#include <stdio.h>

#define SIZEOF(t) printf("sizeof.%s=%zu\n", #t, sizeof(struct t))
#define OFFSETOF(t, f) printf("offsetof.%s.%s=%zu\n", #t, #f, offsetof(struct t, f))
#define CONSTANT(x) printf("const.%s=%lld\n", #x, (long long)(x))
