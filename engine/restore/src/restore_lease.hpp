#pragma once
// restore_lease: a running restore's lease on its restore id (which names the
// backup, the target cluster and every choice), the object
// {backup}/restores/<restore id>/lock.json. Two identical restores at once would
// both produce every record; the second one refuses instead (kb::error fatal
// "RestoreRunning", naming the holder: host, pid and start time).
//
// Held from before the target is touched until the restore ends; renewed on a
// thread of its own (the data shards may be busy for minutes); released on
// destruction. A lease left by a killed run on this host is taken over at once.

#include <kb/storage/location.hpp>

#include <memory>
#include <string>

namespace kb::restore::detail {

class restore_lease {
  public:
    // Takes the lease or throws; `target` names the target in the refusal.
    static std::unique_ptr<restore_lease> take(const storage::location& where,
                                               const std::string& backup_id,
                                               const std::string& restore_id,
                                               const std::string& target);
    ~restore_lease();
    restore_lease(const restore_lease&) = delete;
    restore_lease& operator=(const restore_lease&) = delete;

  private:
    restore_lease();
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace kb::restore::detail
