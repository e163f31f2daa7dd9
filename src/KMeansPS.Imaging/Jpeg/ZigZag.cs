namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The zig-zag sequence of T.81 figure 5: entry k is the natural (row-major) index of the k-th coefficient in
/// the order they are coded. Built by walking the anti-diagonals, alternately up and down.
/// </summary>
internal static class ZigZag
{
    internal static readonly byte[] ToNatural = Build();

    private static byte[] Build()
    {
        var order = new byte[64];
        int k = 0;
        for (int diagonal = 0; diagonal < 15; diagonal++)
        {
            int first = Math.Max(0, diagonal - 7), last = Math.Min(7, diagonal);
            // Even diagonals go up and to the right (row falling), odd ones down and to the left (row rising).
            for (int i = first; i <= last; i++)
            {
                int row = diagonal % 2 == 0 ? diagonal - i : i;
                order[k++] = (byte)(row * 8 + diagonal - row);
            }
        }
        return order;
    }
}
