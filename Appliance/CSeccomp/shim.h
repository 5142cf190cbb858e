// libseccomp (libseccomp-dev), and the few macros and variadic calls (prctl) Swift cannot import, as inline functions.
#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

/// CLONE_THREAD from <linux/sched.h> (<sched.h> shows it only under _GNU_SOURCE).
#define RB_CLONE_THREAD ((scmp_datum_t)0x00010000)

/// SCMP_ACT_ERRNO(error): the call fails with `error` and does nothing.
static inline uint32_t rb_seccomp_action_errno(uint16_t error) { return SCMP_ACT_ERRNO(error); }

/// SCMP_ACT_ALLOW.
static inline uint32_t rb_seccomp_action_allow(void) { return SCMP_ACT_ALLOW; }

/// Allows `socket(family, …)` for one address family only (argument 0 compared exactly).
static inline int rb_seccomp_allow_socket_family(scmp_filter_ctx context, int family) {
    struct scmp_arg_cmp family_is = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)family);
    return seccomp_rule_add_array(context, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, &family_is);
}

/// Allows `socketpair(family, …)` for one address family only.
static inline int rb_seccomp_allow_socketpair_family(scmp_filter_ctx context, int family) {
    struct scmp_arg_cmp family_is = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)family);
    return seccomp_rule_add_array(context, SCMP_ACT_ALLOW, SCMP_SYS(socketpair), 1, &family_is);
}

/// Allows `prctl(option, …)` for one option only.
static inline int rb_seccomp_allow_prctl_option(scmp_filter_ctx context, int option) {
    struct scmp_arg_cmp option_is = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)option);
    return seccomp_rule_add_array(context, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, &option_is);
}

/// prctl(PR_SET_DUMPABLE, value).
static inline int rb_set_dumpable(int value) { return prctl(PR_SET_DUMPABLE, (unsigned long)value, 0UL, 0UL, 0UL); }

/// prctl(PR_GET_DUMPABLE).
static inline int rb_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0UL, 0UL, 0UL, 0UL); }

/// prctl(PR_GET_NO_NEW_PRIVS).
static inline int rb_get_no_new_privs(void) { return prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL); }

/// prctl(PR_GET_SECCOMP): 0 none, 2 filter mode.
static inline int rb_get_seccomp_mode(void) { return prctl(PR_GET_SECCOMP, 0UL, 0UL, 0UL, 0UL); }

/// setrlimit(RLIMIT_CORE, {value, value}).
static inline int rb_set_core_limit(unsigned long long value) {
    struct rlimit limit = { .rlim_cur = (rlim_t)value, .rlim_max = (rlim_t)value };
    return setrlimit(RLIMIT_CORE, &limit);
}

/// The hard RLIMIT_CORE.
static inline unsigned long long rb_core_hard_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_CORE, &limit) != 0) return ~0ULL;
    return (unsigned long long)limit.rlim_max;
}

/// Allows `clone` only for new threads (flags include CLONE_THREAD), so the process cannot fork.
static inline int rb_seccomp_allow_thread_clone(scmp_filter_ctx context) {
    struct scmp_arg_cmp is_thread = SCMP_A0(SCMP_CMP_MASKED_EQ, RB_CLONE_THREAD, RB_CLONE_THREAD);
    return seccomp_rule_add_array(context, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, &is_thread);
}

/// Makes `clone3` fail with ENOSYS: its flags sit in memory a filter cannot read, and glibc falls back to `clone`.
static inline int rb_seccomp_refuse_clone3(scmp_filter_ctx context) {
    return seccomp_rule_add_array(context, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL);
}

/// Allows `prlimit64` only to read limits (new limit NULL), never to change them.
static inline int rb_seccomp_allow_prlimit_read(scmp_filter_ctx context) {
    struct scmp_arg_cmp no_new_limit = SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)0);
    return seccomp_rule_add_array(context, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, &no_new_limit);
}

/// Allows `ioctl(fd, request, …)` for one request only.
static inline int rb_seccomp_allow_ioctl_request(scmp_filter_ctx context, unsigned long request) {
    struct scmp_arg_cmp request_is = SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)request);
    return seccomp_rule_add_array(context, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, &request_is);
}

/// prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN) (Linux 6.3+): no writable-executable mapping, and no mapping
/// gains execute permission later; what systemd's MemoryDenyWriteExecute= does with a seccomp filter.
static inline int rb_set_memory_deny_write_execute(void) { return prctl(65 /* PR_SET_MDWE */, 1UL, 0UL, 0UL, 0UL); }

/// prctl(PR_GET_MDWE): the MDWE flags in force (-1 where the kernel lacks it).
static inline int rb_get_memory_deny_write_execute(void) { return prctl(66 /* PR_GET_MDWE */, 0UL, 0UL, 0UL, 0UL); }

/// Tries to map one anonymous page writable and executable; returns 0 if the kernel allowed it (and unmaps it),
/// -1 with errno if it refused.
static inline int rb_try_writable_executable_mapping(void) {
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return -1;
    munmap(page, 4096);
    return 0;
}
