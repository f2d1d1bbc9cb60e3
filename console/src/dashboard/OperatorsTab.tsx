import { t } from '../i18n/index.js';
import { formatMinutes, formatMs, formatPct } from './format.js';
import { keyOf, RangeNote, Section, type TabProps } from './parts.js';
import { dashboardApi, type Envelope, type OperatorFigures, type OperatorRow } from './types.js';
import { useDashboardData } from './useDashboardData.js';

/** Owners: every operator's figures and the team's. */
export function OperatorsTab({ query, live }: TabProps) {
  const loaded = useDashboardData(keyOf(query), () => dashboardApi.operators(query), live);
  return (
    <Section loaded={loaded} live={live}>
      {(env: Envelope<OperatorFigures>) => (
        <>
          <RangeNote env={env} />
          <table class="admin-table dash-table" data-testid="operators-dash-table">
            <thead>
              <tr>
                <th>{t('dash.operator')}</th>
                <th class="num">{t('dash.colChats')}</th>
                <th class="num">{t('dash.frtMedian')}</th>
                <th class="num">{t('dash.colAvgResponse')}</th>
                <th class="num">{t('dash.colAht')}</th>
                <th class="num">{t('dash.csat')}</th>
                <th class="num">{t('dash.colTransfers')}</th>
                <th class="num">{t('dash.colOnline')}</th>
              </tr>
            </thead>
            <tbody>
              {env.current.operators.map((r) => (
                <OperatorTr key={r.operatorId} row={r} />
              ))}
            </tbody>
            <tfoot>
              <OperatorTr row={env.current.team} team />
            </tfoot>
          </table>
        </>
      )}
    </Section>
  );
}

function OperatorTr({ row, team = false }: { row: OperatorRow; team?: boolean }) {
  return (
    <tr data-testid={team ? 'operator-team-row' : 'operator-dash-row'} data-name={row.name ?? ''}>
      <td class="op-name">{team ? t('dash.team') : (row.name ?? row.operatorId)}</td>
      <td class="num" data-col="chats">
        {row.chats}
      </td>
      <td class="num" data-col="frt">
        {formatMs(row.medianFrtMs)}
      </td>
      <td class="num">{formatMs(row.averageResponseMs)}</td>
      <td class="num" data-col="aht">
        {formatMs(row.averageHandlingMs)}
      </td>
      <td class="num" data-col="csat">
        {formatPct(row.csatPct)}
        {row.good + row.bad > 0 && (
          <span class="muted">
            {' '}
            ({row.good}/{row.good + row.bad})
          </span>
        )}
      </td>
      <td class="num">{row.transfers}</td>
      <td class="num" data-col="online">
        {formatMinutes(row.onlineMinutes)}
      </td>
    </tr>
  );
}
