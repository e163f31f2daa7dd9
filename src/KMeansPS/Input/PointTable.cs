using System.Management.Automation;
using KMeansPS.Output;

namespace KMeansPS.Input;

/// <summary>
/// The points read from the pipeline, one double column per coordinate (the rows that were left out are not here):
/// compact, whatever objects they came in. The input objects are kept only when they are to be emitted again
/// (-PassThru).
/// </summary>
internal sealed class PointTable
{
    public PointTable(string[] names, DoubleColumn[] columns, DoubleColumn? weights, List<PSObject>? objects, SyntheticClusterMatrix? matrix,
        List<int>? rowNumbers = null)
    {
        Names = names;
        Columns = columns;
        Weights = weights;
        Objects = objects;
        Matrix = matrix;
        _rowNumbers = rowNumbers;
    }

    private readonly List<int>? _rowNumbers;

    /// <summary>The input row number (counted from 1) of point <paramref name="row"/>, when the reader kept them; else null.</summary>
    public int? RowNumber(int row) => _rowNumbers is not null && row < _rowNumbers.Count ? _rowNumbers[row] : null;

    /// <summary>Points without input objects or a matrix (the pure-number parts of the module, and their tests).</summary>
    public static PointTable FromColumns(string[] names, DoubleColumn[] columns, DoubleColumn? weights) => new(names, columns, weights, null, null);

    /// <summary>One name per coordinate: the properties clustered on, or X, Y, Z / X1..Xn.</summary>
    public string[] Names { get; }
    public int Dimensions => Names.Length;
    public int Count => Columns[0].Count;
    public DoubleColumn[] Columns { get; }
    /// <summary>One weight per point (finite, non-negative), or null when no weight property was named.</summary>
    public DoubleColumn? Weights { get; }
    /// <summary>The input object of each point, when kept (-PassThru); null otherwise.</summary>
    public List<PSObject>? Objects { get; }
    /// <summary>The matrix the points came in, or null when they came one object each.</summary>
    public SyntheticClusterMatrix? Matrix { get; }

    public double Value(int row, int column) => Columns[column][row];

    public double Weight(int row) => Weights is null ? 1.0 : Weights[row];

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a table of their own (values copied).</summary>
    public PointTable Slice(int start, int count)
    {
        if (start == 0 && count == Count) return this;
        DoubleColumn Copy(DoubleColumn source)
        {
            var copy = new DoubleColumn();
            for (int i = start; i < start + count; i++) copy.Add(source[i]);
            return copy;
        }
        return new PointTable(Names, Columns.Select(Copy).ToArray(), Weights is null ? null : Copy(Weights),
            Objects?.GetRange(start, count), null, _rowNumbers?.GetRange(start, count));
    }

    /// <summary>Point <paramref name="row"/> as a new array.</summary>
    public double[] Row(int row)
    {
        var point = new double[Dimensions];
        for (int j = 0; j < point.Length; j++) point[j] = Columns[j][row];
        return point;
    }
}
