// Admin accounts kept in memory: for tests and hosts that keep no accounts on disk.
using System.Collections.Concurrent;

namespace PostureGate.Web.Accounts;

public sealed class InMemoryAdminAccountStore : IAdminAccountStore
{
    private readonly ConcurrentDictionary<string, AdminAccount> _accounts = new(StringComparer.Ordinal);

    public AdminAccount? Find(string name) => _accounts.GetValueOrDefault(name);

    public IReadOnlyList<AdminAccount> List() => [.. _accounts.Values.OrderBy(a => a.Name, StringComparer.Ordinal)];

    public bool Add(AdminAccount account) => _accounts.TryAdd(account.Name, account);

    public bool Update(AdminAccount account)
    {
        if (!_accounts.TryGetValue(account.Name, out var old))
            return false;
        return _accounts.TryUpdate(account.Name, account, old);
    }

    public bool Remove(string name) => _accounts.TryRemove(name, out _);
}
