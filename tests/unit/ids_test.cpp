#include <gtest/gtest.h>

#include "base/ids.hpp"

namespace guildhall {

TEST(IdGenerator, IdsStrictlyIncreaseEvenWhenTheClockStepsBack) {
  id_generator ids(3);
  const std::uint64_t first = ids.next(1'800'000'000'000);
  const std::uint64_t second = ids.next(1'800'000'000'000);
  const std::uint64_t after_step_back = ids.next(1'799'999'999'000);
  EXPECT_LT(first, second);
  EXPECT_LT(second, after_step_back);
  EXPECT_EQ(id_generator::unix_ms_of(first), 1'800'000'000'000);
}

TEST(IdGenerator, SequenceOverflowBorrowsTheNextMillisecond) {
  id_generator ids(0);
  std::uint64_t last = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t id = ids.next(1'800'000'000'000);
    ASSERT_GT(id, last);
    last = id;
  }
  EXPECT_EQ(id_generator::unix_ms_of(last), 1'800'000'000'001);
}

TEST(IdGenerator, GeneratorsNeverCollide) {
  id_generator a(1), b(2);
  EXPECT_NE(a.next(1'800'000'000'000), b.next(1'800'000'000'000));
}

}  // namespace guildhall
