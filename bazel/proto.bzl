"""cc_grpc_proto_library: .proto files -> one C++ protobuf + gRPC library.

Uses the system protoc and grpc_cpp_plugin (Debian's protobuf-compiler and
protobuf-compiler-grpc), so nothing is built from source or downloaded.
Imports are resolved relative to the package directory, and generated headers
are included the same way: proto/certreg/v1/x.proto -> "certreg/v1/x.pb.h".
"""

def cc_grpc_proto_library(name, srcs, grpc_srcs = [], visibility = None):
    """Compiles `srcs` with protoc; also generates gRPC stubs for `grpc_srcs`.

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
    pkg = native.package_name()
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
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        includes = ["."],
        copts = ["-Wno-unused-parameter"],
        deps = ["@system_libraries//:grpc", "@system_libraries//:protobuf"],
        visibility = visibility,
    )
