// An entry of a FortiOS CLI table, known by its `edit` name or id.
namespace PostureGate.Config.Model;

/// <summary>An entry of a FortiOS table: its <c>edit</c> name or id.</summary>
public interface IKeyed
{
    string Key { get; }
}
