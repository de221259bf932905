// The console's admin accounts, kept in the EMS database (SQLite or the cluster's PostgreSQL).
using PostureGate.Ems.Storage;
using PostureGate.Web.Accounts;

namespace PostureGate.Ems.WebConsole;

internal sealed class EmsAdminAccounts(EmsStore store) : IAdminAccountStore
{
    public AdminAccount? Find(string name) => store.FindAdmin(name);

    public IReadOnlyList<AdminAccount> List() => store.ListAdmins();

    public bool Add(AdminAccount account) => store.AddAdmin(account);

    public bool Update(AdminAccount account) => store.UpdateAdmin(account);

    public bool Remove(string name) => store.RemoveAdmin(name);
}
