using Kindred.Testing;
using Kindred.Models.Local;
using Kindred.Models.Tests.TestSupport;

namespace Kindred.Models.Tests.Local;

/// <summary>One loaded stories260K shared by a test class: loading is cheap, but native contexts are not free.</summary>
public sealed class Stories260KFixture : IDisposable
{
    public const int Sequences = 8;

    public Stories260KFixture()
    {
        Model = LocalModel.Load(new LocalModelOptions
        {
            ModelPath = SharedModels.Stories260K,
            MaxConcurrentSequences = Sequences,
            ContextLength = 512,
            Threads = 1,
        });
    }

    public LocalModel Model { get; }

    public void Dispose() => Model.Dispose();
}
