// StoreError: the history store cannot be opened or used. Its message names
// the database file and the cause in words an operator can act on (corrupt,
// not a database, directory not writable, in use by another process).
#pragma once

#include <stdexcept>
#include <string>

namespace chatd::history {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace chatd::history
