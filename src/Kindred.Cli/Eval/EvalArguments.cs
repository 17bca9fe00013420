namespace Kindred.Cli.Eval;

/// <summary>
/// Lets <c>kindred eval locomo FILE --k 5,10,25</c> be written as the issue and the README spell it: Spectre.Console.Cli
/// refuses one-letter long options ("Invalid long option name"), so <c>--k</c> becomes <c>-k</c> before parsing.
/// </summary>
internal static class EvalArguments
{
    public static string[] Normalize(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || !string.Equals(args[0], "eval", StringComparison.Ordinal))
        {
            return args;
        }

        return [.. args.Select(arg => arg == "--k" || arg.StartsWith("--k=", StringComparison.Ordinal) ? arg[1..] : arg)];
    }
}
