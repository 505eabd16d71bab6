#include "registry/server/registry_metrics.h"

#include <limits>
#include <utility>

#include "registry/storage/disk_watermark.h"

namespace certreg {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Single(const char* name, const char* help, MetricType type,
                    double value) {
  ClientMetric metric;
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return MetricFamily{name, help, type, {metric}};
}

MetricFamily Histogram(const char* name, const char* help,
                       const LatencyHistogram::Snapshot& snapshot) {
  ClientMetric metric;
  metric.histogram.sample_count = snapshot.count;
  metric.histogram.sample_sum = snapshot.sum_seconds;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < LatencyHistogram::kBoundsSeconds.size(); ++i) {
    cumulative += snapshot.counts[i];
    metric.histogram.bucket.push_back(
        {cumulative, LatencyHistogram::kBoundsSeconds[i]});
  }
  metric.histogram.bucket.push_back(
      {snapshot.count, std::numeric_limits<double>::infinity()});
  return MetricFamily{name, help, MetricType::Histogram, {metric}};
}

}  // namespace

RegistryCollector::RegistryCollector(const Registry* registry,
                                     const RocksDbStore* store,
                                     std::string data_dir,
                                     std::function<absl::Time()> now)
    : registry_(registry),
      store_(store),
      data_dir_(std::move(data_dir)),
      now_(std::move(now)) {}

void RegistryCollector::Detach() {
  absl::MutexLock lock(&mu_);
  registry_ = nullptr;
  store_ = nullptr;
}

std::vector<MetricFamily> RegistryCollector::Collect() const {
  absl::MutexLock lock(&mu_);
  if (registry_ == nullptr) return {};
  const Registry::Stats stats = registry_->stats();
  std::vector<MetricFamily> families = {
      Single("certreg_log_size", "Statements in the log.", MetricType::Gauge,
             double(stats.log_size)),
      Single("certreg_commit_waiting_writes",
             "Accepted writes waiting for their fsync.", MetricType::Gauge,
             double(stats.writes_waiting_for_sync)),
      Histogram("certreg_fsync_duration_seconds",
                "How long each group commit's sync took.", stats.sync_latency),
      Single("certreg_read_only",
             "1 while the database is open read-only (the disk was full).",
             MetricType::Gauge, store_->read_only() ? 1 : 0),
  };
  if (stats.checkpoint_signed.has_value()) {
    families.push_back(
        Single("certreg_checkpoint_age_seconds",
               "Age of the latest signed checkpoint.", MetricType::Gauge,
               absl::ToDoubleSeconds(now_() - *stats.checkpoint_signed)));
  }
  if (absl::StatusOr<uint64_t> free = DiskWatermark::FreeBytesOf(data_dir_)();
      free.ok()) {
    families.push_back(Single("certreg_disk_free_bytes",
                              "Free space on the data directory's disk.",
                              MetricType::Gauge, double(*free)));
  }
  const RocksDbStats db = store_->stats();
  for (MetricFamily family : {
           Single("certreg_rocksdb_block_cache_hits_total",
                  "Reads served from RocksDB's block cache.",
                  MetricType::Counter, double(db.block_cache_hits)),
           Single("certreg_rocksdb_block_cache_misses_total",
                  "Reads that missed RocksDB's block cache.",
                  MetricType::Counter, double(db.block_cache_misses)),
           Single("certreg_rocksdb_block_cache_bytes",
                  "Bytes in the block cache, memtables included.",
                  MetricType::Gauge, double(db.block_cache_bytes)),
           Single("certreg_rocksdb_compactions_pending",
                  "Column families waiting for a compaction.",
                  MetricType::Gauge, double(db.compactions_pending)),
           Single("certreg_rocksdb_pending_compaction_bytes",
                  "Bytes RocksDB estimates it must compact.", MetricType::Gauge,
                  double(db.pending_compaction_bytes)),
           Single("certreg_rocksdb_writes_stopped",
                  "1 while RocksDB stops writes (a stall).", MetricType::Gauge,
                  db.writes_stopped ? 1 : 0),
           Single("certreg_rocksdb_delayed_write_rate_bytes",
                  "The rate RocksDB slows writes to; 0 when not slowed.",
                  MetricType::Gauge, double(db.delayed_write_rate)),
           Single("certreg_rocksdb_live_table_bytes",
                  "Bytes of live table files.", MetricType::Gauge,
                  double(db.live_table_bytes)),
       }) {
    families.push_back(std::move(family));
  }
  return families;
}

}  // namespace certreg
