/** The simulator is the jsii submodule `simulator`: the root API reads as the construct library. */
import * as root from '../../src';
import * as sim from '../../src/simulator';

test('the simulator is exported as the namespace `simulator`, not at the root', () => {
  expect(root.simulator.PolicySimulator).toBe(sim.PolicySimulator);
  expect(root.simulator.AccessOperation.EXEC).toBe('EXEC');
  expect(Object.keys(root).filter((k) => /Simulat|AccessOperation|PredictedAlert/.test(k))).toEqual([]);
});
