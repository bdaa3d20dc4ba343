-- Ids of orders, their lines and their transitions come from the columns' defaults: the create path writes
-- an order, its lines and its first transition in one statement (order.NewOrderWriter), and the entities read
-- back what the database chose. The sequences keep INCREMENT BY 50: an instance of the previous version,
-- still running during a rolling update, takes the 50 ids below each value it draws, and a default takes only
-- the value itself, so the two never meet.
ALTER TABLE customer_order ALTER COLUMN id SET DEFAULT nextval('customer_order_id_seq');
ALTER TABLE order_line ALTER COLUMN id SET DEFAULT nextval('order_line_id_seq');
ALTER TABLE order_transition ALTER COLUMN id SET DEFAULT nextval('order_transition_id_seq');
ALTER SEQUENCE customer_order_id_seq OWNED BY customer_order.id;
ALTER SEQUENCE order_line_id_seq OWNED BY order_line.id;
ALTER SEQUENCE order_transition_id_seq OWNED BY order_transition.id;
