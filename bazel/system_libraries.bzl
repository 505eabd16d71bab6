"""A repository of the system's C/C++ libraries with link flags from pkg-config.

The flags are read when the workspace is loaded, so the link line is right on
any Debian machine (Debian's gRPC needs the whole abseil set, which a
hand-written -l list gets wrong). Headers come from /usr/include, which the
auto-configured C++ toolchain already searches.
"""

# target name -> pkg-config modules (plus extra flags for libraries without a .pc file).
_LIBRARIES = {
    "absl": (["absl_flags", "absl_flags_parse", "absl_flags_usage", "absl_str_format", "absl_strings", "absl_status", "absl_statusor", "absl_time", "absl_synchronization", "absl_hash", "absl_raw_hash_set", "absl_random_random"], []),
    "grpc": (["grpc++", "grpc"], ["-lgrpc++_reflection"]),
    "protobuf": (["protobuf"], []),
    "rocksdb": (["rocksdb"], []),
    "openssl": (["openssl"], []),
    "icu": (["icu-uc", "icu-i18n"], []),
    "gtest": (["gtest", "gmock"], []),
    "prometheus": (["prometheus-cpp-pull", "prometheus-cpp-core"], []),
    # Boost.Beast and Boost.Asio are header-only (Boost.System too, since
    # 1.69); they need the thread library.
    "boost_beast": ([], ["-lpthread"]),
    "ctemplate": (["libctemplate"], []),
    "qrencode": (["libqrencode"], []),
    "png": (["libpng"], []),
    "zlib": (["zlib"], []),
    "curl": (["libcurl"], []),
    # gperftools' thread-caching malloc for the long-running binaries: glibc's
    # malloc was a fifth of a lookup's CPU. --no-as-needed keeps the library
    # on the link line although nothing names its symbols.
    "tcmalloc": (["libtcmalloc_minimal"], ["-Wl,--no-as-needed"]),
}

def _pkg_config(ctx, modules):
    if not modules:
        return []
    result = ctx.execute(["pkg-config", "--libs"] + modules)
    if result.return_code != 0:
        fail("pkg-config --libs {} failed: {}\nInstall the -dev packages (see README.md).".format(
            " ".join(modules),
            result.stderr,
        ))
    flags = []
    for flag in result.stdout.strip().split(" "):
        if flag and flag not in flags:
            flags.append(flag)
    return flags

def _system_libraries_impl(ctx):
    build = ['package(default_visibility = ["//visibility:public"])', ""]
    for name, (modules, extra) in _LIBRARIES.items():
        linkopts = extra + _pkg_config(ctx, modules)
        build.append("cc_library(\n    name = {},\n    linkopts = {},\n)\n".format(
            repr(name),
            repr(linkopts),
        ))
    build.append("""\
cc_library(
    name = "gtest_main",
    linkopts = ["-lgtest_main"],
    deps = [":gtest"],
)
""")
    ctx.file("WORKSPACE", "workspace(name = \"{}\")\n".format(ctx.name))
    ctx.file("BUILD", "\n".join(build))

system_libraries = repository_rule(
    implementation = _system_libraries_impl,
    local = True,
    environ = ["PKG_CONFIG_PATH"],
)
