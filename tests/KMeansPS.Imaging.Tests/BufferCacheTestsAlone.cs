namespace KMeansPS.Imaging.Tests;

/// <summary>
/// Tests that count, time out or evict what the process-wide <see cref="KMeansPS.Engine.Memory.LargeBufferCache"/>
/// keeps. They run alone, after the parallel tests: any other test's quantizer may clear the cache (a histogram of
/// millions of colours reclaims memory before and after its fit), and large fits push the oldest buffers out, so a
/// count taken beside them fails at random (a fresh-clone CI once saw 5 of 11 buffers kept).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BufferCacheTestsAlone
{
    public const string Name = "The process-wide buffer cache, alone";
}
