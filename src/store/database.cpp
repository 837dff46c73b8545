#include "store/database.hpp"

namespace guildhall::store {

result<std::unique_ptr<database>> database::open(const backend_factory& open_backend, unsigned readers) {
  std::unique_ptr<database> db(new database());
  auto writer = open_backend();
  if (!writer) return std::unexpected(writer.error());
  db->writer_backend_ = std::move(*writer);
  for (unsigned i = 0; i < std::max(1u, readers); ++i) {
    auto reader = open_backend();
    if (!reader) return std::unexpected(reader.error());
    db->reader_backends_.push_back(std::move(*reader));
  }
  db->writer_ = std::make_unique<work_queue<write_task>>([raw = db.get()](auto& batch) { raw->run_writes(batch); });
  for (auto& reader : db->reader_backends_) {
    db->readers_.push_back(std::make_unique<work_queue<backend_work>>([&reader](std::deque<backend_work>& batch) {
      for (auto& work : batch) work(*reader);
    }));
  }
  return db;
}

database::~database() { stop(); }

void database::write(backend_work work) { writer_->push(std::move(work)); }

void database::read(backend_work work) {
  const unsigned index = next_reader_.fetch_add(1, std::memory_order_relaxed) % readers_.size();
  readers_[index]->push(std::move(work));
}

void database::append_message(chat_record record, append_done done) {
  writer_->push(append_task{std::move(record), std::move(done)});
}

void database::run_writes(std::deque<write_task>& batch) {
  std::vector<append_task> pending;
  for (auto& task : batch) {
    if (auto* append = std::get_if<append_task>(&task)) {
      pending.push_back(std::move(*append));
      continue;
    }
    commit_appends(pending);  // keep the order: appends queued before this work commit first
    std::get<backend_work>(task)(*writer_backend_);
  }
  commit_appends(pending);
}

void database::commit_appends(std::vector<append_task>& pending) {
  if (pending.empty()) return;
  std::vector<chat_record> records;
  records.reserve(pending.size());
  for (auto& task : pending) records.push_back(std::move(task.record));
  const auto outcome = writer_backend_->append_messages(records);
  for (auto& task : pending) task.done(outcome);
  pending.clear();
}

void database::stop() {
  if (writer_) writer_->stop();
  for (auto& reader : readers_) reader->stop();
}

}  // namespace guildhall::store
