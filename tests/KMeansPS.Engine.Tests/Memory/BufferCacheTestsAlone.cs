using Xunit;

namespace KMeansPS.Engine.Tests.Memory;

/// <summary>
/// Tests that count or poison what the process-wide <see cref="KMeansPS.Engine.Memory.LargeBufferCache"/> keeps run
/// alone, after the parallel tests: other tests' large fits push the oldest buffers out, so a count taken beside them
/// (or poison left for one fit) could be gone before it is looked at.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BufferCacheTestsAlone
{
    public const string Name = "The process-wide buffer cache, alone";
}
