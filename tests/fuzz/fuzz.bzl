"""certreg_fuzzer: one libFuzzer harness, built two ways.

For a harness `<name>_fuzzer.cc` whose seeds are under corpus/<name>/:
  <name>_fuzzer_test  a cc_test of the normal build: the harness linked with
                      replay_main, run on every seed and `mutations`
                      deterministic mutations of them.
  <name>_fuzzer       the libFuzzer binary, tagged manual (and fuzzer): built
                      by tools/fuzz.sh with --config=fuzz (clang, ASan, UBSan).
"""

def certreg_fuzzer(name, deps, extra_srcs = [], mutations = 2000, size = "small"):
    """Declares <name>_fuzzer_test and <name>_fuzzer.

    Args:
      name: the harness's name: <name>_fuzzer.cc, corpus/<name>/.
      deps: what the harness uses besides fuzz_support.
      extra_srcs: more sources (e.g. generated data it includes).
      mutations: how many mutated seeds the test runs.
      size: of the test.
    """
    srcs = [name + "_fuzzer.cc"] + extra_srcs
    deps = deps + ["//tests/fuzz:fuzz_support"]
    corpus = "corpus/" + name
    corpus_path = native.package_name() + "/" + corpus
    native.cc_test(
        name = name + "_fuzzer_test",
        size = size,
        srcs = srcs,
        args = [
            "--mutations=%d" % mutations,
            corpus_path,
        ],
        data = native.glob([corpus + "/**"]),
        deps = deps + ["//tests/fuzz:replay_main"],
    )
    native.cc_binary(
        name = name + "_fuzzer",
        testonly = True,
        srcs = srcs,
        linkopts = ["-fsanitize=fuzzer"],
        tags = [
            "fuzzer",
            "manual",
        ],
        deps = deps,
    )
