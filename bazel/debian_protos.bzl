"""debian_protos: .proto files other projects publish, from Debian packages.

etcd's gRPC API (golang-etcd-server-dev), the gogoproto options it imports
(golang-github-gogo-protobuf-dev) and Google's API annotations and RPC status
messages (golang-github-gogo-googleapis-dev), laid out under one include root
the way the files import each other ("etcd/mvcc/mvccpb/kv.proto",
"gogoproto/gogo.proto", "google/api/annotations.proto"), and compiled for C++
like certreg's own protos. tools/install_deps.sh installs the packages.
"""

_GOCODE = "/usr/share/gocode/src/"

# Import path -> file in a Debian package.
_FILES = {
    "etcd/auth/authpb/auth.proto": "go.etcd.io/etcd/auth/authpb/auth.proto",
    "etcd/etcdserver/api/v3election/v3electionpb/v3election.proto": "go.etcd.io/etcd/etcdserver/api/v3election/v3electionpb/v3election.proto",
    "etcd/etcdserver/etcdserverpb/rpc.proto": "go.etcd.io/etcd/etcdserver/etcdserverpb/rpc.proto",
    "etcd/mvcc/mvccpb/kv.proto": "go.etcd.io/etcd/mvcc/mvccpb/kv.proto",
    "gogoproto/gogo.proto": "github.com/gogo/protobuf/gogoproto/gogo.proto",
    "google/api/annotations.proto": "github.com/gogo/googleapis/google/api/annotations.proto",
    "google/api/http.proto": "github.com/gogo/googleapis/google/api/http.proto",
    "google/rpc/error_details.proto": "github.com/gogo/googleapis/google/rpc/error_details.proto",
    "google/rpc/status.proto": "github.com/gogo/googleapis/google/rpc/status.proto",
}

_BUILD = """\
load("@certreg//bazel:proto.bzl", "cc_grpc_proto_library")

package(default_visibility = ["//visibility:public"])

# etcd v3's KV, Lease, Watch, Maintenance and Election services.
cc_grpc_proto_library(
    name = "etcd_cc_proto",
    srcs = [
        "etcd/auth/authpb/auth.proto",
        "etcd/etcdserver/api/v3election/v3electionpb/v3election.proto",
        "etcd/etcdserver/etcdserverpb/rpc.proto",
        "etcd/mvcc/mvccpb/kv.proto",
        "gogoproto/gogo.proto",
        "google/api/annotations.proto",
        "google/api/http.proto",
    ],
    grpc_srcs = [
        "etcd/etcdserver/api/v3election/v3electionpb/v3election.proto",
        "etcd/etcdserver/etcdserverpb/rpc.proto",
    ],
)

# google.rpc.Status and its standard details (RetryInfo, BadRequest, ...).
cc_grpc_proto_library(
    name = "google_rpc_cc_proto",
    srcs = [
        "google/rpc/error_details.proto",
        "google/rpc/status.proto",
    ],
)
"""

def _debian_protos_impl(ctx):
    missing = []
    for import_path, package_path in _FILES.items():
        source = ctx.path(_GOCODE + package_path)
        if not source.exists:
            missing.append(_GOCODE + package_path)
            continue
        ctx.symlink(source, import_path)
    if missing:
        fail("missing .proto files (install golang-etcd-server-dev " +
             "golang-github-gogo-protobuf-dev golang-github-gogo-googleapis-dev, " +
             "or run tools/install_deps.sh): " + ", ".join(missing))
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)
    ctx.file("BUILD", _BUILD)

debian_protos = repository_rule(
    implementation = _debian_protos_impl,
    local = True,
)
