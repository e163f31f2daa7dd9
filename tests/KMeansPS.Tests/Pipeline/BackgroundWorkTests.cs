using KMeansPS.Pipeline;
using Xunit;

namespace KMeansPS.Tests.Pipeline;

public sealed class BackgroundWorkTests
{
    [Fact]
    public void A_stop_returns_only_once_the_work_has_ended()
    {
        // Stopped, the pipeline thread's progress write throws (PipelineStoppedException, which this project cannot
        // make: any exception stands for it); StopProcessing has cancelled the work, which winds down. The command must
        // not return (and the stop with it) while the work still runs on the cores.
        using var stop = new CancellationTokenSource();
        int ended = 0;
        Assert.Throws<TimeoutException>(() => BackgroundWork.Run(() =>
        {
            stop.Token.WaitHandle.WaitOne();
            Thread.Sleep(100);
            Interlocked.Increment(ref ended);
            return 0;
        }, () =>
        {
            stop.Cancel();
            throw new TimeoutException("stopped");
        }));
        Assert.Equal(1, Volatile.Read(ref ended));
    }

    [Fact]
    public void The_work_s_own_exception_is_rethrown_as_is()
    {
        var thrown = Assert.Throws<InvalidDataException>(() => BackgroundWork.Run<int>(() => throw new InvalidDataException("bad"), () => { }));
        Assert.Equal("bad", thrown.Message);
    }
}
