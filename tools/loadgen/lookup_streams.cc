#include "tools/loadgen/lookup_streams.h"

#include <optional>
#include <thread>
#include <utility>

namespace certreg::loadgen {

LookupStreams::LookupStreams(
    std::vector<Channel>* channels,
    const std::vector<std::unique_ptr<grpc::CompletionQueue>>* queues,
    Options options, DoneFn done)
    : channels_(*channels),
      queues_(*queues),
      options_(options),
      done_(std::move(done)) {}

void LookupStreams::Send(const std::string& number, int channel_index,
                         Clock::time_point start, Slot* slot, size_t shard) {
  LookupStream* stream = nullptr;
  if (slot != nullptr) {
    stream = slot->stream;
  } else {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      stream = idle_.back();
      idle_.pop_back();
    } else if (live_ < options_.pool_size) {
      ++live_;
    } else {
      waiting_.push_back(WaitingLookup{start, shard, &number});
      return;
    }
  }
  Launch(stream, channel_index, start, slot, shard, number);
}

LookupStream* LookupStreams::Open(int channel_index) {
  auto owned = std::make_unique<LookupStream>();
  LookupStream* stream = owned.get();
  stream->channel = channel_index;
  stream->context.set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          end_ - Clock::now()) +
      options_.rpc_timeout);
  if (!options_.api_key.empty()) {
    stream->context.AddMetadata("x-api-key", options_.api_key);
  }
  stream->stream =
      channels_[channel_index].registry->PrepareAsyncLookupCertificates(
          &stream->context, queues_[channel_index % queues_.size()].get());
  std::lock_guard<std::mutex> lock(mu_);
  streams_.push_back(std::move(owned));
  return stream;
}

void LookupStreams::Launch(LookupStream* stream, int channel_index,
                           Clock::time_point start, Slot* slot, size_t shard,
                           const std::string& number) {
  const bool fresh = stream == nullptr;
  if (fresh) {
    stream = Open(channel_index);
    if (slot != nullptr) slot->stream = stream;
  }
  stream->start = start;
  stream->shard = shard;
  stream->slot = slot;
  stream->request.set_number(number);
  stream->request.set_view(options_.view);
  if (fresh) {
    stream->state = LookupStream::State::kStarting;
    stream->stream->StartCall(stream);
  } else {
    stream->state = LookupStream::State::kWriting;
    stream->stream->Write(stream->request, stream);
  }
}

void LookupStreams::Advance(LookupStream* stream, bool ok) {
  using State = LookupStream::State;
  switch (stream->state) {
    case State::kStarting:
      if (!ok) break;
      stream->state = State::kWriting;
      stream->stream->Write(stream->request, stream);
      return;
    case State::kWriting:
      if (!ok) break;
      stream->state = State::kReading;
      stream->stream->Read(&stream->answer, stream);
      return;
    case State::kReading:
      if (!ok) break;
      stream->state = State::kIdle;
      LookupDone(stream, stream->answer.code() == 0
                             ? grpc::Status::OK
                             : grpc::Status(static_cast<grpc::StatusCode>(
                                                stream->answer.code()),
                                            stream->answer.message()));
      return;
    case State::kFailing:
      stream->state = State::kDone;
      LookupDone(stream, stream->status.ok()
                             ? grpc::Status(grpc::StatusCode::UNKNOWN,
                                            "the stream ended before answering")
                             : stream->status);
      return;
    case State::kClosing:
      stream->state = State::kFinishing;
      stream->stream->Finish(&stream->status, stream);
      return;
    case State::kFinishing:
      stream->state = State::kDone;
      --closing_;
      return;
    case State::kIdle:
    case State::kDone:
      return;
  }
  // An operation failed: the stream is over, and Finish tells why.
  stream->state = State::kFailing;
  stream->stream->Finish(&stream->status, stream);
}

void LookupStreams::LookupDone(LookupStream* stream,
                               const grpc::Status& status) {
  Slot* slot = stream->slot;
  const Clock::time_point start = stream->start;
  const size_t shard = stream->shard;
  const bool alive = stream->state == LookupStream::State::kIdle;
  if (slot != nullptr) {
    if (!alive) slot->stream = nullptr;
  } else {
    std::optional<WaitingLookup> next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!waiting_.empty()) {
        next = waiting_.front();
        waiting_.pop_front();
      } else if (alive) {
        idle_.push_back(stream);
      } else {
        --live_;
      }
    }
    if (next.has_value()) {
      Launch(alive ? stream : nullptr, stream->channel, next->start, nullptr,
             next->shard, *next->number);
    }
  }
  done_(start, shard, slot, status);
}

void LookupStreams::CloseAll() {
  std::vector<LookupStream*> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& stream : streams_) {
      if (stream->state == LookupStream::State::kDone) continue;
      if (stream->state == LookupStream::State::kIdle) {
        open.push_back(stream.get());
      } else {
        stream->context.TryCancel();
      }
    }
    idle_.clear();
  }
  closing_ += static_cast<int64_t>(open.size());
  for (LookupStream* stream : open) {
    stream->state = LookupStream::State::kClosing;
    stream->stream->WritesDone(stream);
  }
  const Clock::time_point limit = Clock::now() + std::chrono::seconds(5);
  while (closing_.load() > 0 && Clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (closing_.load() > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& stream : streams_) stream->context.TryCancel();
  }
}

}  // namespace certreg::loadgen
