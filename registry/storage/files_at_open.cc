#include "registry/storage/files_at_open.h"

#include <filesystem>
#include <memory>
#include <set>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/metadata.h"

namespace certreg {
namespace {

// The names (no directory) of the table files the database lists.
std::set<std::string> LiveTableFiles(rocksdb::DB& db) {
  std::vector<rocksdb::LiveFileMetaData> live;
  db.GetLiveFilesMetaData(&live);
  std::set<std::string> names;
  for (const rocksdb::LiveFileMetaData& file : live) {
    names.insert(std::filesystem::path(file.name).filename().string());
  }
  return names;
}

}  // namespace

std::vector<std::string> UnreferencedTableFiles(
    const std::string& path, const std::vector<std::string>& column_families) {
  rocksdb::DBOptions options;
  // Only the MANIFEST is needed, not every table file opened.
  options.max_open_files = 16;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : column_families) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* opened = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(options, path, descriptors, &handles,
                                    &opened)
           .ok()) {
    return {};
  }
  std::unique_ptr<rocksdb::DB> db(opened);
  const std::set<std::string> live = LiveTableFiles(*db);
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    db->DestroyColumnFamilyHandle(handle);
  }
  std::vector<std::string> unreferenced;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
    const std::string name = entry.path().filename().string();
    if (absl::EndsWith(name, ".sst") && live.count(name) == 0) {
      unreferenced.push_back(name);
    }
  }
  return unreferenced;
}

absl::Status KeepFilesFoundAtOpen(const std::string& path,
                                  const std::vector<std::string>& files,
                                  const std::string& keep_dir) {
  std::error_code error;
  std::filesystem::create_directories(keep_dir, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", keep_dir, ": ", error.message()));
  }
  std::vector<std::string> names = files;
  for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "MANIFEST-") || name == "CURRENT" ||
        absl::EndsWith(name, ".log")) {
      names.push_back(name);
    }
  }
  for (const std::string& name : names) {
    const std::string kept = keep_dir + "/" + name;
    if (std::filesystem::exists(kept, error)) continue;
    std::filesystem::create_hard_link(path + "/" + name, kept, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot keep ", path, "/", name, " in ", keep_dir, ": ",
                       error.message(),
                       " (nothing was opened; free the space or fix the "
                       "permissions)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<FilesKeptAtOpen> KeepWhatOpeningDeletes(
    const std::string& path, const std::vector<std::string>& column_families,
    const std::string& keep_dir) {
  FilesKeptAtOpen kept;
  const std::vector<std::string> unreferenced =
      UnreferencedTableFiles(path, column_families);
  std::error_code error;
  kept.dir_existed = std::filesystem::exists(keep_dir, error);
  if (!unreferenced.empty()) {
    absl::Status keeping = KeepFilesFoundAtOpen(path, unreferenced, keep_dir);
    if (!keeping.ok()) return keeping;
    kept.count = unreferenced.size();
  }
  if (kept.count > 0 || kept.dir_existed) kept.dir = keep_dir;
  return kept;
}

}  // namespace certreg
