// The console's URL space: everything under /console, beside the host's own API.
namespace PostureGate.Web;

public static class ConsolePaths
{
    public const string Root = "/console";
    public const string Home = "/console";
    public const string SignIn = "/console/signin";
    /// <summary>POST: the sign-in form's target (the page itself is a GET at <see cref="SignIn"/>).</summary>
    public const string Session = "/console/session";
    public const string SignOut = "/console/signout";
    public const string Denied = "/console/denied";
    public const string Stylesheet = "/console/console.css";
}
