namespace Kindred.Server.Tests.TestSupport;

/// <summary>
/// Tests that assert the exact words pocketsphinx hears run after the parallel tests, alone in the process. They pass
/// every time on their own, even with every core saturated, but twice in four whole-suite runs one heard a word more
/// or less while other test classes ran beside it in the same process. The cause is not found yet (see the issue
/// note); until it is, they are kept apart rather than their expectations loosened.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeardAlone
{
    public const string Name = "Speech recognised alone";
}
