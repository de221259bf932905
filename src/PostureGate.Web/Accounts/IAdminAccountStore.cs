// Where console admin accounts live: the EMS keeps them in its database, the gateway in a file.
namespace PostureGate.Web.Accounts;

/// <summary>Names passed in are already normalized (<see cref="AdminUserName.Normalize"/>).</summary>
public interface IAdminAccountStore
{
    AdminAccount? Find(string name);

    IReadOnlyList<AdminAccount> List();

    /// <summary>False when the name is taken.</summary>
    bool Add(AdminAccount account);

    /// <summary>Replaces hash, role and stamp of an existing account; false when there is none.</summary>
    bool Update(AdminAccount account);

    bool Remove(string name);
}
