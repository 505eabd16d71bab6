"""Offline stand-ins for the repositories Bazel 4.2.3 asks for in a C++ build.

Nothing here downloads: every repository is either written out by a repository
rule or points at a Debian package under /usr/share/bazel.
"""

def _rules_cc_impl(ctx):
    # @bazel_tools//tools/cpp loads @rules_cc//cc:defs.bzl; re-export the native
    # rules, which is all Bazel 4.2.3 needs from it.
    ctx.file("WORKSPACE", "workspace(name = \"rules_cc\")\n")
    ctx.file("BUILD", "")
    ctx.file("cc/BUILD", "")
    ctx.file("cc/defs.bzl", """\
def cc_binary(**kwargs):
    native.cc_binary(**kwargs)

def cc_import(**kwargs):
    native.cc_import(**kwargs)

def cc_library(**kwargs):
    native.cc_library(**kwargs)

def cc_proto_library(**kwargs):
    native.cc_proto_library(**kwargs)

def cc_test(**kwargs):
    native.cc_test(**kwargs)

def cc_toolchain(**kwargs):
    native.cc_toolchain(**kwargs)

def cc_toolchain_suite(**kwargs):
    native.cc_toolchain_suite(**kwargs)

def objc_library(**kwargs):
    native.objc_library(**kwargs)

def objc_import(**kwargs):
    native.objc_import(**kwargs)
""")

_rules_cc = repository_rule(implementation = _rules_cc_impl)

def _coverage_tools_impl(ctx):
    # Every cc_test depends on these two targets; coverage itself is done with
    # gcov/lcov outside Bazel, so they only have to exist.
    ctx.file("WORKSPACE", "workspace(name = \"remote_coverage_tools\")\n")
    ctx.file("stub.sh", "#!/bin/sh\necho 'coverage is not supported in this offline build' >&2\nexit 1\n", executable = True)
    ctx.file("BUILD", """\
package(default_visibility = ["//visibility:public"])

sh_binary(
    name = "coverage_report_generator",
    srcs = ["stub.sh"],
)

sh_binary(
    name = "lcov_merger",
    srcs = ["stub.sh"],
)
""")

_coverage_tools = repository_rule(implementation = _coverage_tools_impl)

def offline_repositories():
    """Declares rules_cc, rules_java, platforms and remote_coverage_tools offline."""
    _rules_cc(name = "rules_cc")
    _coverage_tools(name = "remote_coverage_tools")
    native.local_repository(
        name = "rules_java",
        path = "/usr/share/bazel/rules/java",
    )
    native.local_repository(
        name = "platforms",
        path = "/usr/share/bazel/tools/platforms",
    )
