#pragma once
// libsodium must be initialised once before its first use; every crypto entry point of src/wire/udp/ calls this.
// Private to src/wire/udp/.
namespace guildhall::wire::udp::detail {

// Thread-safe (a function-local static); throws std::runtime_error if libsodium cannot start, which only happens
// when the process cannot read the system's randomness source: a start-up failure, not a peer's doing.
void ensure_sodium();

}  // namespace guildhall::wire::udp::detail
