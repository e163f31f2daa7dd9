# Issue #16: fan-out beyond one machine over real PowerShell remoting. A throwaway sshd on 127.0.0.1 and 127.0.0.2
# (SshLoopback.psm1) gives two "hosts"; README's "Many files, many machines" commands run as written, results come
# back with PSComputerName and behave like local ones, models cross the wire both ways, a failed host is run again.
# When sshd cannot be started, BeforeAll throws with the reason and every test here fails: none is skipped.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SshLoopback.psm1') -Force
    $script:ModulePath = (Resolve-Path (Get-KMeansPSModulePath)).Path
    Import-Module $script:ModulePath -Force
    # The module is "installed" for this process, its thread jobs and the remote sessions: its folder's parent
    # on PSModulePath, so `Import-Module KMeansPS` and command auto-loading work as on a machine that has it.
    $script:ModuleRoot = Split-Path (Split-Path $script:ModulePath)
    $script:OldModulePath = $env:PSModulePath
    $env:PSModulePath = $script:ModuleRoot + [IO.Path]::PathSeparator + $env:PSModulePath

    $script:Sshd = Start-LoopbackSshd
    $script:Sessions = New-LoopbackSession -Sshd $script:Sshd
    Invoke-Command -Session $script:Sessions -ArgumentList $script:ModuleRoot {
        param($root) $env:PSModulePath = $root + [IO.Path]::PathSeparator + $env:PSModulePath
    }

    # The fenced powershell blocks of README's "Many files, many machines", in order.
    function Get-ReadmeFanOutBlock {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $section = [regex]::Match($readme, '(?ms)^## Many files, many machines\s*$(.*?)(?=^## )').Groups[1].Value
        @([regex]::Matches($section, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value })
    }

    function New-ImageFolder([string] $Name, [int] $Count) {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N')) $Name
        New-Item -ItemType Directory -Path $dir | Out-Null
        for ($i = 0; $i -lt $Count; $i++) {
            $null = New-TestPng -Path (Join-Path $dir ("img{0:d2}.png" -f $i)) -Width (40 + 4 * $i) -Height 32 -Transparent:($i % 3 -eq 0)
        }
        $dir
    }

    # Runs README's remote block in $Parent (which holds images/), with `New-PSSession -HostName host1, host2`
    # standing for the two loopback sessions: a function outranks the cmdlet of the same name.
    function Invoke-ReadmeRemoteBlock([string] $Parent, $Sessions = $script:Sessions) {
        $block = (Get-ReadmeFanOutBlock)[1]
        $block | Should -Match 'New-PSSession -HostName host1, host2'
        function New-PSSession { $Sessions }
        # As in a user's script (Pester's own preference is Stop): a failed host's errors do not stop the others.
        $ErrorActionPreference = 'Continue'
        Push-Location -LiteralPath $Parent
        try {
            . ([scriptblock]::Create($block)) | Out-Null
            [pscustomobject]@{ Results = $results; Batches = $batches }
        }
        finally { Pop-Location }
    }

    function Get-StableHost([string] $Name, [int] $Hosts) {
        [BitConverter]::ToUInt32([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Name))) % $Hosts
    }
}

AfterAll {
    if ($script:Sessions) { $script:Sessions | Remove-PSSession -ErrorAction Ignore }
    Stop-LoopbackSshd $script:Sshd
    if ($script:Sshd) { Test-Path -LiteralPath $script:Sshd.Folder | Should -BeFalse -Because 'the keys and configuration are removed' }
    $env:PSModulePath = $script:OldModulePath
    Remove-Module KMeansPS -ErrorAction Ignore
}

Describe 'The loopback hosts' {
    It 'cannot be started without sshd, and then say why (the tests fail, never skip)' {
        { Start-LoopbackSshd -SshdPath (Join-Path $TestDrive 'no-such-sshd') } | Should -Throw '*sshd was not found*'
        { Start-LoopbackSshd -SshdPath '/bin/false' } | Should -Throw '*sshd*'
    }

    It 'are two sessions over SSH, each a separate pwsh with the module available' {
        $script:Sessions.Count | Should -Be 2
        @($script:Sessions.Transport | Sort-Object -Unique) | Should -Be 'SSH'
        $info = Invoke-Command -Session $script:Sessions { [pscustomobject]@{ Pid = $PID; Module = (Get-Module -ListAvailable KMeansPS).Path } }
        @($info.Pid | Sort-Object -Unique).Count | Should -Be 2
        $info.Pid | Should -Not -Contain $PID
        @($info.PSComputerName | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.2')
        $info.Module | ForEach-Object { $_ | Should -Be $script:ModulePath }
    }
}

Describe 'README: one machine' {
    It 'runs the ForEach-Object -Parallel and Start-ThreadJob lines as written' {
        $photos = New-ImageFolder -Name photos -Count 4
        $block = (Get-ReadmeFanOutBlock)[0]
        Push-Location -LiteralPath (Split-Path $photos)
        try { $out = @(. ([scriptblock]::Create($block))) }
        finally { Pop-Location }
        $written = @($out | Where-Object { $_.Status -eq 'Written' })
        $written.Count | Should -Be 8
        foreach ($i in 0..3) {
            foreach ($k in 64, 32) {
                $file = Join-Path $photos ("img{0:d2}-k$k.png" -f $i)
                Test-Path -LiteralPath $file | Should -BeTrue -Because "$file is written"
            }
        }
        # The thread job saw the -k64 outputs of the first line and left them alone.
        @($out | Where-Object { $_.Status -eq 'SkippedOwnOutput' }).Count | Should -Be 4
    }
}

Describe 'README: many machines' {
    BeforeAll {
        $script:Images = New-ImageFolder -Name images -Count 8
        $script:Run = Invoke-ReadmeRemoteBlock (Split-Path $script:Images)
        $script:Csv = Join-Path (Split-Path $script:Images) 'results.csv'
    }

    It 'writes every output, each file on the host its name hashes to' {
        $results = @($script:Run.Results)
        $results.Count | Should -Be 8
        foreach ($r in $results) {
            $r.Status | Should -Be 'Written'
            Test-Path -LiteralPath $r.Destination | Should -BeTrue
            $expected = $script:Sessions[(Get-StableHost (Split-Path -Leaf $r.Path) 2)].ComputerName
            $r.PSComputerName | Should -Be $expected
        }
        @($results.PSComputerName | Sort-Object -Unique).Count | Should -Be 2 -Because 'eight names spread over both hosts'
    }

    It 'brings back rows that sort, group and export like local ones' {
        $remote = @($script:Run.Results)
        $local = Compress-ImageKMeans -LiteralPath (Join-Path $script:Images 'img00.png') -K 64 -Destination (Join-Path $TestDrive 'local-img00.png')
        # Numbers stay numbers across the wire: the sort is numeric.
        $sorted = @($remote | Sort-Object Ratio)
        for ($i = 1; $i -lt $sorted.Count; $i++) { $sorted[$i].Ratio | Should -BeGreaterOrEqual $sorted[$i - 1].Ratio }
        $remote[0].Ratio | Should -BeOfType ([double])
        $remote[0].CompressedBytes | Should -BeOfType ([long])
        (@($remote | Group-Object Status).Name) | Should -Be 'Written'
        # The CSV of remote rows has every column of a local row, plus where it ran.
        $localCsv = ($local | ConvertTo-Csv)[0] -split ','
        $remoteCsv = ($remote[0] | ConvertTo-Csv)[0] -split ','
        $localCsv | ForEach-Object { $remoteCsv | Should -Contain $_ }
        $remoteCsv | Should -Contain '"PSComputerName"'
        # README's own export: one row per file, with the host.
        $rows = Import-Csv -LiteralPath $script:Csv
        $rows.Count | Should -Be 8
        @($rows.PSComputerName | Sort-Object -Unique) | Should -Be @('127.0.0.1', '127.0.0.2')
        ($rows.Path -join '|') | Should -Be (($remote | Sort-Object Path).Path -join '|')
        # And they display as local results do: the same table columns, plus PSComputerName.
        $localHeader = (($local | Format-Table | Out-String) -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1).Trim() -split '\s+'
        $remoteHeader = (($remote[0] | Format-Table | Out-String) -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1).Trim() -split '\s+'
        $localHeader | ForEach-Object { $remoteHeader | Should -Contain $_ }
    }

    It 'is a no-op when run again, and a failed host is simply run again' {
        $images = New-ImageFolder -Name images -Count 8
        $parent = Split-Path $images
        # First run: the second host's PowerShell dies before its batch (its session is Broken, as when a host goes
        # down); its batch fails with an error, the first host's is written.
        $broken = New-LoopbackSession -Sshd $script:Sshd -HostName 127.0.0.2
        $remotePid = Invoke-Command -Session $broken { $PID }
        Stop-Process -Id $remotePid -Force
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ($broken.State -ne 'Broken' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $broken.State | Should -Be 'Broken'
        $first = Invoke-ReadmeRemoteBlock $parent -Sessions @($script:Sessions[0], $broken) 2>&1
        $broken | Remove-PSSession
        @($first | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -BeGreaterThan 0
        $first = $first | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
        $okNames = @(Get-ChildItem -LiteralPath $images -Filter 'img??.png' | Where-Object { (Get-StableHost $_.Name 2) -eq 0 } | ForEach-Object Name)
        @($first.Results | Where-Object Status -eq 'Written').Count | Should -Be $okNames.Count
        # Run again with both hosts: the first host's files are up to date, the failed host's are written now.
        # (*.png now also matches the first run's outputs, which are recognised by their marker and skipped.)
        $second = @((Invoke-ReadmeRemoteBlock $parent).Results)
        $second.Count | Should -Be (8 + $okNames.Count)
        foreach ($r in $second) {
            $name = Split-Path -Leaf $r.Path
            $expected = if ($name -like '*-k64.png') { 'SkippedOwnOutput' } elseif ($name -in $okNames) { 'SkippedUpToDate' } else { 'Written' }
            $r.Status | Should -Be $expected -Because $name
        }
        # And once more: nothing left to do anywhere.
        $third = @((Invoke-ReadmeRemoteBlock $parent).Results)
        $third.Count | Should -Be 16
        @($third | Where-Object Status -eq 'SkippedUpToDate').Count | Should -Be 8
        @($third | Where-Object Status -eq 'SkippedOwnOutput').Count | Should -Be 8
        @(Get-ChildItem -LiteralPath $images -Filter '*-k64.png').Count | Should -Be 8
    }
}

Describe 'A fitted model across the wire' {
    BeforeAll {
        $script:Train = New-SyntheticClusterData -Count 300 -Center @(0, 0), @(20, 0), @(0, 20) -Spread 2 -Seed 21
        $script:Fresh = New-SyntheticClusterData -Count 120 -Center @(0, 0), @(20, 0), @(0, 20) -Spread 2 -Seed 22
        $script:Model = $script:Train | Invoke-KMeans -K 3 -Seed 1
        $script:LocalLabels = ($script:Fresh | Invoke-KMeans -Model $script:Model).Labels -join ','
    }

    It 'is used with $using: in a remote session' {
        $model = $script:Model; $fresh = $script:Fresh
        $remote = Invoke-Command -Session $script:Sessions[0] { $using:fresh | Invoke-KMeans -Model $using:model }
        $remote.Labels -join ',' | Should -Be $script:LocalLabels
        $remote.PSComputerName | Should -Be '127.0.0.1'
    }

    It 'is used when passed with -ArgumentList' {
        $remote = Invoke-Command -Session $script:Sessions[1] -ArgumentList $script:Model, $script:Fresh {
            param($m, $points) $points | Invoke-KMeans -Model $m
        }
        $remote.Labels -join ',' | Should -Be $script:LocalLabels
    }

    It 'comes back from a remote fit and from Start-Job usable here' {
        $fromHost = Invoke-Command -Session $script:Sessions[1] -ArgumentList (, $script:Train) { param($points) $points | Invoke-KMeans -K 3 -Seed 1 }
        ($script:Fresh | Invoke-KMeans -Model $fromHost).Labels -join ',' | Should -Be $script:LocalLabels
        $fromJob = Start-Job -ArgumentList (, $script:Train) { param($points) $points | Invoke-KMeans -K 3 -Seed 1 } | Receive-Job -Wait -AutoRemoveJob
        $fromJob.PSObject.TypeNames | Should -Contain 'Deserialized.KMeansPS.Output.KMeansModel'
        ($script:Fresh | Invoke-KMeans -Model $fromJob).Labels -join ',' | Should -Be $script:LocalLabels
    }
}
