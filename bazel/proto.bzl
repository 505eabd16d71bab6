"""cc_grpc_proto_library: .proto files -> C++ protobuf and gRPC libraries.

`name` holds the messages only, so that gRPC-free code can use them without
linking gRPC; `name + "_grpc"` adds the service stubs.

Uses the system protoc and grpc_cpp_plugin (Debian's protobuf-compiler and
protobuf-compiler-grpc), so nothing is built from source or downloaded.
Imports are resolved relative to the package directory, and generated headers
are included the same way: proto/certreg/v1/x.proto -> "certreg/v1/x.pb.h".
"""

def cc_grpc_proto_library(name, srcs, grpc_srcs = [], visibility = None):
    """Compiles `srcs` with protoc; the stubs of `grpc_srcs` go to name_grpc.

    Args:
      name: the cc_library's name.
      srcs: every .proto file of the library, relative to this package.
      grpc_srcs: the subset of srcs that define services.
      visibility: of the cc_library.
    """
    outs = []
    for src in srcs:
        base = src[:-len(".proto")]
        outs += [base + ".pb.h", base + ".pb.cc"]
        if src in grpc_srcs:
            outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]
    # Where the package is under the execution root: external/REPO/... for
    # another repository's package.
    repo = native.repository_name()
    pkg = "/".join([p for p in [
        "external/" + repo[1:] if repo != "@" else "",
        native.package_name(),
    ] if p])
    out_dir = "$(GENDIR)/" + pkg if pkg else "$(GENDIR)"
    proto_path = pkg if pkg else "."
    cmd = ("protoc --proto_path={path} --cpp_out={out} {srcs}".format(
        path = proto_path,
        out = out_dir,
        srcs = " ".join(["$(location {})".format(s) for s in srcs]),
    ))
    if grpc_srcs:
        cmd += (" && protoc --proto_path={path} --grpc_out={out}" +
                " --plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin) {srcs}").format(
            path = proto_path,
            out = out_dir,
            srcs = " ".join(["$(location {})".format(s) for s in grpc_srcs]),
        )
    native.genrule(
        name = name + "_codegen",
        srcs = srcs,
        outs = outs,
        cmd = cmd,
        message = "protoc " + name,
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".pb.cc") and not o.endswith(".grpc.pb.cc")],
        hdrs = [o for o in outs if o.endswith(".pb.h") and not o.endswith(".grpc.pb.h")],
        includes = ["."],
        copts = ["-Wno-unused-parameter"],
        deps = ["@system_libraries//:protobuf"],
        visibility = visibility,
    )
    if grpc_srcs:
        native.cc_library(
            name = name + "_grpc",
            srcs = [o for o in outs if o.endswith(".grpc.pb.cc")],
            hdrs = [o for o in outs if o.endswith(".grpc.pb.h")],
            includes = ["."],
            copts = ["-Wno-unused-parameter"],
            deps = [":" + name, "@system_libraries//:grpc", "@system_libraries//:protobuf"],
            visibility = visibility,
        )
