namespace KMeansPS.Imaging.Png;

/// <summary>
/// Reports finished rows once a batch has gathered since the last report, and checks for cancellation then.
/// It knows when the caller's callback runs, so that the callback's own exceptions are not taken for a bad file.
/// </summary>
internal sealed class RowProgress(int height, Action<int>? rowsDone, CancellationToken cancellationToken)
{
    /// <summary>Rows decoded between two calls of the progress callback.</summary>
    internal const int RowsPerBatch = 32;

    private int _reported;

    public bool InCallback { get; private set; }

    public void RowsFinished(int rows)
    {
        if (rows - _reported < RowsPerBatch && rows != height) return;
        cancellationToken.ThrowIfCancellationRequested();
        _reported = rows;
        if (rowsDone is null) return;
        InCallback = true;
        rowsDone(rows);
        InCallback = false;
    }
}
