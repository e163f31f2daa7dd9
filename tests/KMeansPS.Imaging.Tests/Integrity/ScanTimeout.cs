namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>Runs work on its own thread and fails if it has not finished in time (a decoder that loops forever).</summary>
internal static class ScanTimeout
{
    public static T Run<T>(Func<T> work, TimeSpan limit, string what)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception ex) { error = ex; }
        }) { IsBackground = true };
        thread.Start();
        if (!thread.Join(limit)) Assert.Fail($"{what} did not finish within {limit.TotalSeconds:0} s");
        if (error is not null) throw new InvalidOperationException($"{what} threw", error);
        return result;
    }
}
